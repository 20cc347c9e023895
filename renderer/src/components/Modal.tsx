import { useLayoutEffect, useRef, type KeyboardEventHandler, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: the browser traps focus, makes the rest inert and handles Escape. Focus goes
 * to the element marked data-autofocus (React's autoFocus fires before showModal, when nothing in a closed
 * dialog can take focus).
 */
export function Modal({
  title,
  onClose,
  children,
  wide = false,
  testId,
  describedBy,
  onKeyDown,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  testId: string;
  describedBy?: string;
  onKeyDown?: KeyboardEventHandler<HTMLDialogElement>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = `${testId}-title`;
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]');
    (first ?? dialog).focus();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' modal--wide' : ''}`}
      aria-labelledby={titleId}
      {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      data-testid={testId}
      {...(onKeyDown ? { onKeyDown } : {})}
      onCancel={(e) => {
        // Escape: close through the store, so focus returns to the row that had it.
        e.preventDefault();
        onClose();
      }}
    >
      <div className="modal__head">
        <h2 id={titleId} className="modal__title">
          {title}
        </h2>
        <button type="button" className="modal__close" onClick={onClose} aria-label="Close (Esc)">
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="modal__body">{children}</div>
    </dialog>
  );
}

/** A key shown the way the help overlay shows it. */
export function Kbd({ k }: { k: string }) {
  return <kbd className="kbd">{k}</kbd>;
}
