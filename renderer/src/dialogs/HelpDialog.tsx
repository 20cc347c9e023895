import { Kbd, Modal } from '../components/Modal';
import { HELP } from '../keyboard/keys';
import { useUiStore } from '../state/ui-store';

export function HelpDialog() {
  const close = useUiStore((s) => s.close);
  return (
    <Modal title="Keyboard shortcuts" onClose={close} wide testId="help-dialog">
      <div className="help" tabIndex={0} data-autofocus aria-label="Keyboard shortcuts">
        {HELP.map((section) => (
          <section key={section.title} className="help__section">
            <h3 className="help__title">{section.title}</h3>
            <table className="help__table">
              <tbody>
                {section.keys.map(([keys, what]) => (
                  <tr key={keys}>
                    <th scope="row">
                      <Kbd k={keys} />
                    </th>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <p className="modal__foot muted">Letters never act while you type in a field. Esc closes this.</p>
    </Modal>
  );
}
