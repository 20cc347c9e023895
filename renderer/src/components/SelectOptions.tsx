/** Option lists that several pickers share, so each is written, and reads, the same everywhere. */
import type { Clinician, LocalDate } from '../../../shared/domain';
import { formatShortDate } from '../day/format';

/** The days of a day picker, "Mon 20/07", today marked: the header's picker and the rebook dialog's. */
export function DayOptions({ days, today }: { days: readonly LocalDate[]; today: LocalDate }) {
  return days.map((d) => (
    <option key={d} value={d}>
      {formatShortDate(d)}
      {d === today ? ' (today)' : ''}
    </option>
  ));
}

/** The day's clinicians by name, valued by id: the print dialog's and the walk-in dialog's. */
export function ClinicianOptions({ clinicians }: { clinicians: readonly Pick<Clinician, 'id' | 'name'>[] }) {
  return clinicians.map((c) => (
    <option key={c.id} value={c.id}>
      {c.name}
    </option>
  ));
}
