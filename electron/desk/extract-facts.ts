/**
 * What an EMIS or SystmOne extract is read against, for `standby-desk import --format …-extract` and a watched
 * folder given extracts alike: the practice it must be for, and the upstream records the mirror holds, which a delta
 * may refer to without repeating them.
 */
import type { ResourceType } from './upstream/batch';
import type { OpenDesk } from './open';

export interface ExtractFacts {
  practiceOds: string | null;
  mirrored: (type: ResourceType, id: string) => boolean;
}

/**
 * The practice: `settingsOds` (upkeep-settings.json's fhir.ods, as in force), else the ODS code saved on screen,
 * else that of the practice the mirror holds.
 */
export function extractFactsOf(desk: OpenDesk, settingsOds: string | null): ExtractFacts {
  const known = desk.service.upstream.knownFingerprints().byType;
  return {
    practiceOds: settingsOds ?? desk.service.practiceSettings.read()?.practice.odsCode ?? desk.service.mirror.practice()?.odsCode ?? null,
    mirrored: (type, id) => known.get(type)?.has(id) ?? false,
  };
}
