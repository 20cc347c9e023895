/** Patient (+ Flag): each patient, with the flags of active Flag resources about them. */
import { isLocalDate, PATIENT_FLAGS, withNhsNumberStatus, type Patient, type PatientFlag } from '../../../../shared/domain';
import { joinAddress } from '../extract/common';
import { patientFlagFrom } from '../vocabulary';
import { LazyItem, NO_DEPENDENCIES, type LazyReader, type ReadContext } from './read-context';
import type { Indexed } from './read-index';
import { clip, firstMatch, MAX_TEXT, officialName } from './read-values';
import { FhirFlag, FhirPatient, NHS_NUMBER_SYSTEM, registeredTemporarily } from './resources';

export function readPatients(ctx: ReadContext): void {
  const { batch, index, file, versionOf, refKey, problem, parse, item, knownFingerprint } = ctx;
  const flagsOf = new Map<string, Array<{ flag: PatientFlag; version: string }>>();
  for (const x of index.ofType('Flag')) {
    const f = FhirFlag.safeParse(x.resource);
    if (!f.success || f.data.status === 'inactive' || f.data.status === 'entered-in-error') continue;
    const subject = refKey(f.data.subject);
    if (!subject?.startsWith('Patient/')) continue;
    const flag = f.data.code ? firstMatch([f.data.code], patientFlagFrom) : null;
    // Flags the desk has no use for (there are many upstream) are not the mirror's business.
    if (flag === null) continue;
    const id = subject.slice('Patient/'.length);
    const list = flagsOf.get(id) ?? [];
    list.push({ flag, version: versionOf(x) });
    flagsOf.set(id, list);
  }
  function readPatient(x: Indexed): Patient | null {
    const p = parse(FhirPatient, x);
    if (!p) return null;
    const name = officialName(p.name);
    const family = name?.family?.trim() || (name?.text ? name.text.trim().split(/\s+/).at(-1) : undefined);
    if (!family) {
      problem(x, 'name', 'a patient needs a family name');
      return null;
    }
    const given = name?.given?.length ? name.given.join(' ') : name?.family ? '' : (name?.text?.trim().split(/\s+/).slice(0, -1).join(' ') ?? '');
    const birthDate = p.birthDate && isLocalDate(p.birthDate) ? p.birthDate : null;
    const sex: Patient['sex'] = p.gender === 'female' || p.gender === 'male' || p.gender === 'other' ? p.gender : 'unknown';
    const phone = p.telecom?.find((t) => t.system === 'phone' && t.value)?.value ?? null;
    const flags = flagsOf.get(x.id) ?? [];
    // The home address now in use (an ended or old one is history): as one line.
    const address = p.address?.find((a) => a.use !== 'old' && !a.period?.end) ?? null;
    (batch.listings ??= new Map()).set(x.id, {
      deceased: p.deceasedBoolean === true || (p.deceasedDateTime ?? '') !== '',
      temporaryResident: registeredTemporarily(p.extension),
      address: address ? address.text?.trim() || joinAddress(...(address.line ?? []), address.district ?? '', address.city ?? '', address.postalCode ?? '') : null,
    });
    return withNhsNumberStatus({
      id: x.id,
      nhsNumber: p.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value?.slice(0, 20) ?? null,
      familyName: clip(family, 100),
      givenName: clip(given, 100),
      dateOfBirth: birthDate,
      sex,
      phone: phone === null ? null : clip(phone, MAX_TEXT.phone),
      flags: PATIENT_FLAGS.filter((f) => flags.some((held) => held.flag === f)),
    });
  }
  const unchangedPatient: LazyReader<Patient> = { resourceType: 'Patient', file, read: readPatient };
  for (const x of index.ofType('Patient')) {
    const flags = flagsOf.get(x.id);
    const dependencies = flags ? flags.map((f) => f.version) : NO_DEPENDENCIES;
    const known = knownFingerprint(x, 'Patient', dependencies);
    if (known !== undefined) {
      batch.patients.set(x.id, new LazyItem(unchangedPatient, x, known));
      continue;
    }
    const patient = readPatient(x);
    if (patient) batch.patients.set(x.id, item(x, 'Patient', patient, dependencies));
  }
}
