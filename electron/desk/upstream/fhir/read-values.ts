/** Small readings of FHIR datatypes (names, concepts, extensions) into the desk's values. */
import type { AppointmentType } from '../../../../shared/domain';
import { parseInstant } from '../time';
import { appointmentTypeFrom } from '../vocabulary';
import type { Json } from './read-index';
import { DELIVERY_CHANNEL_SUFFIX, ODS_CODE_SYSTEM, type CodeableConcept, type Extension, type HumanName } from './resources';

export const MAX_TEXT = { name: 200, reason: 500, room: 50, label: 100, phone: 40 } as const;

export function odsCodeOf(resource: Json): string | null {
  const ids = resource['identifier'];
  if (!Array.isArray(ids)) return null;
  for (const i of ids as Json[]) if (i && i['system'] === ODS_CODE_SYSTEM && typeof i['value'] === 'string') return i['value'];
  return null;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

export function officialName(names: HumanName[] | undefined): HumanName | undefined {
  return names?.find((n) => n.use === 'official') ?? names?.find((n) => n.use !== 'old') ?? names?.[0];
}

/** "Dr Asha Patel": the name as text, or built from its parts. */
export function displayName(names: HumanName[] | undefined): string | null {
  const n = officialName(names);
  if (!n) return null;
  if (n.text?.trim()) return n.text.trim();
  const parts = [...(n.prefix ?? []), ...(n.given ?? []), ...(n.family ? [n.family] : [])].map((p) => p.trim()).filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

export function conceptText(c: CodeableConcept): string | null {
  return c.text ?? c.coding?.find((x) => x.display)?.display ?? c.coding?.find((x) => x.code)?.code ?? null;
}

export function firstMatch<T>(concepts: readonly CodeableConcept[], match: (word: string) => T | null): T | null {
  for (const c of concepts) {
    for (const coding of c.coding ?? []) {
      const hit = (coding.code ? match(coding.code) : null) ?? (coding.display ? match(coding.display) : null);
      if (hit !== null) return hit;
    }
    if (c.text) {
      const hit = match(c.text);
      if (hit !== null) return hit;
    }
  }
  return null;
}

export function appointmentTypeOf(type: CodeableConcept | undefined, serviceType: CodeableConcept[] | undefined, extensions: Extension[] | undefined): AppointmentType {
  const fromType = type ? firstMatch([type], appointmentTypeFrom) : null;
  if (fromType) return fromType;
  for (const e of extensions ?? []) {
    if (!e.url.endsWith(DELIVERY_CHANNEL_SUFFIX) && !e.url.includes('DeliveryChannel')) continue;
    const word = e.valueCode ?? e.valueString ?? e.valueCoding?.code ?? e.valueCoding?.display;
    const hit = word ? appointmentTypeFrom(word) : null;
    if (hit) return hit;
  }
  return firstMatch(serviceType ?? [], appointmentTypeFrom) ?? 'face_to_face';
}

export function extensionInstant(extensions: Extension[] | undefined, url: string): string | null {
  const e = extensions?.find((x) => x.url === url);
  const value = e?.valueDateTime ?? e?.valueInstant;
  return value ? parseInstant(value) : null;
}
