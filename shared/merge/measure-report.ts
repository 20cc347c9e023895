/**
 * The impact report as a FHIR R4 MeasureReport (issue 21), for an ICB that collects the same figures from many
 * practices: a summary report of all the practice's outages together, one group per figure of IMPACT_FIGURES
 * (impact.ts, the one list the CSV and the printed report read too), its code the CSV's column name. Counts only:
 * no patient is named or referred to. The measure it reports against is documented in docs/impact-measure.md.
 */
import { IMPACT_FIGURES, type ImpactReport } from './impact';

/** The measure definition's canonical URL (docs/impact-measure.md). */
export const IMPACT_MEASURE_URL = 'https://standby-desk.nhs.example/fhir/Measure/outage-impact';
/** The code system of the figures: each code is a figure's key. */
export const IMPACT_FIGURE_SYSTEM = 'https://standby-desk.nhs.example/fhir/CodeSystem/outage-impact-figure';
/** The NHS's system for ODS codes. */
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

const UNIT = {
  count: { unit: 'count', system: 'http://unitsofmeasure.org', code: '1' },
  minutes: { unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
  GBP: { unit: 'GBP', system: 'urn:iso:std:iso:4217', code: 'GBP' },
} as const;

export interface MeasureReportPractice {
  name: string;
  odsCode: string | null;
}

/** A FHIR R4 MeasureReport (JSON), for the report as made at `now`. */
export function impactMeasureReport(report: ImpactReport, practice: MeasureReportPractice, now: string): Record<string, unknown> {
  const from = report.outage.from ?? now;
  const to = report.outage.to ?? now;
  return {
    resourceType: 'MeasureReport',
    // Complete once every outage has ended; while one lasts the figures still move.
    status: report.outage.to === null && report.outage.from !== null ? 'pending' : 'complete',
    type: 'summary',
    measure: IMPACT_MEASURE_URL,
    date: now,
    reporter: { display: practice.name, ...(practice.odsCode ? { identifier: { system: ODS_SYSTEM, value: practice.odsCode } } : {}) },
    period: { start: from, end: to < from ? from : to },
    group: IMPACT_FIGURES.flatMap((f) => {
      const value = f.value(report);
      const code = { coding: [{ system: IMPACT_FIGURE_SYSTEM, code: f.key, display: f.label }] };
      // A figure not known (no cost per hour given) is left out rather than sent as 0.
      return value === null ? [] : [{ code, measureScore: { value, ...UNIT[f.unit] } }];
    }),
  };
}
