import { BacklogDialog } from '../backlog/BacklogDialog';
import { GroupDialog } from '../group/GroupScreen';
import { useDeskStore, useSendInQuestion } from '../state/desk-store';
import { useDialog, useUiStore } from '../state/ui-store';
import { ActionsDialog } from './ActionsDialog';
import { BookDialog } from './BookDialog';
import { ContactDialog } from './ContactDialog';
import { ModeDialog } from './ModeDialog';
import { NoteDialog } from './NoteDialog';
import { OnlineWarning } from './OnlineWarning';
import { CancelDialog } from './CancelDialog';
import { HelpDialog } from './HelpDialog';
import { PrintDialog } from './PrintDialog';
import { RebookDialog } from './RebookDialog';
import { SearchDialog } from './SearchDialog';
import { SendInAnywayDialog } from './SendInAnywayDialog';
import { SessionDnaDialog } from './SessionDnaDialog';
import { WalkInDialog } from './WalkInDialog';

/**
 * At most one dialog at a time, and above it the question asked before a change while the clinical system is up
 * (OnlineWarning), which the change in a dialog waits for.
 */
export function DialogHost() {
  return (
    <>
      <OneDialog />
      <OnlineWarning />
    </>
  );
}

/** Each dialog is keyed so opening a new one starts it afresh. */
function OneDialog() {
  const dialog = useDialog();
  const sendIn = useSendInQuestion();
  if (sendIn !== null) {
    // Asked for by the backend's refusal, whichever way the send in came (row, queue, actions, key): a yes sends
    // the same status again, saying the receptionist saw who is still in the room.
    const answered = (yes: boolean) => {
      useDeskStore.setState({ sendInQuestion: null });
      if (yes) void useDeskStore.getState().setStatus(sendIn.appointmentId, sendIn.status, undefined, true);
      useUiStore.getState().refocus();
    };
    return <SendInAnywayDialog key={`send-in-${sendIn.appointmentId}`} question={sendIn} onConfirm={() => answered(true)} onCancel={() => answered(false)} />;
  }
  if (dialog === null) return null;
  switch (dialog.kind) {
    case 'search':
      return <SearchDialog key={`search-${dialog.purpose ?? 'find'}`} purpose={dialog.purpose ?? 'find'} />;
    case 'book':
      return <BookDialog key={`book-${dialog.patient.id}`} patient={dialog.patient} />;
    case 'mode':
      return <ModeDialog />;
    case 'note':
      return <NoteDialog key={`note-${dialog.appointmentId}`} appointmentId={dialog.appointmentId} />;
    case 'contact':
      return <ContactDialog key={`contact-${dialog.appointmentId}`} appointmentId={dialog.appointmentId} />;
    case 'walk-in':
      return <WalkInDialog key={`walk-in-${dialog.patient?.id ?? 'new'}`} preset={dialog.patient ?? null} />;
    case 'cancel':
      return <CancelDialog key={`cancel-${dialog.appointmentId}`} appointmentId={dialog.appointmentId} />;
    case 'rebook':
      return <RebookDialog key={`rebook-${dialog.appointmentId}`} appointmentId={dialog.appointmentId} />;
    case 'backlog':
      return <BacklogDialog />;
    case 'session-dna':
      return <SessionDnaDialog key={`dna-${dialog.sessionId}`} sessionId={dialog.sessionId} />;
    case 'actions':
      return <ActionsDialog key={`actions-${dialog.appointmentId}`} appointmentId={dialog.appointmentId} />;
    case 'help':
      return <HelpDialog />;
    case 'print':
      return <PrintDialog />;
    case 'group':
      return <GroupDialog />;
    default:
      return assertNever(dialog);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled dialog: ${JSON.stringify(value)}`);
}
