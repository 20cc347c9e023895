/**
 * The manager's mapping screen (issue 19 item 3): a report export or Vision's backup file is read with a mapping
 * made here from a sample of it. Choose the sample, see its first rows, check the desk's guess of which column is
 * which field (a select per field), see what each row becomes (or its problem, naming the column), or start from a
 * preset; then save it as the practice's own, which the watched folder uses unless upkeep-settings.json names a
 * mapping file. Every control is a native one with a label, so it works by keyboard and with a screen reader.
 * The screen's elements from its state, with no client, so a test can render them without a page
 * (FeedMappingPanel.tsx wires them to the desk).
 */
import type { ChangeEvent, FormEvent } from 'react';
import {
  CSV_DELIMITERS,
  CSV_FIELD_NAMES,
  CSV_FIELDS,
  FEED_MAPPING_PRESETS,
  type CsvDelimiter,
  type CsvField,
  type FeedMappingInForce,
  type FeedMappingPreview,
  type FeedRowOutcome,
} from '../../../shared/api';
import { APPOINTMENT_TYPE_LABEL, DESK_STATUS_LABEL, formatNhsNumber, localTimeOf } from '../../../shared/domain';
import type { FeedMappingScreen } from './feed-mapping-model';
import './feeds.css';

const DELIMITER_LABEL: Record<CsvDelimiter, string> = { ',': 'Comma', ';': 'Semicolon', '\t': 'Tab', '|': 'Bar (|)' };

export function inForceText(inForce: FeedMappingInForce): string {
  switch (inForce.source) {
    case 'file':
      return `The watched folder reads CSV files with the mapping file ${inForce.file} (named in upkeep-settings.json; it wins over a mapping saved here).`;
    case 'saved':
      return `The watched folder reads CSV files with the practice’s mapping “${inForce.name}”.`;
    case 'default':
      return 'The watched folder reads CSV files with the default Standby Desk layout: no mapping is saved.';
  }
}

/** One row's outcome in words: what the desk will hold, or what is wrong and in which column. */
export function outcomeText(becomes: FeedRowOutcome): string {
  switch (becomes.kind) {
    case 'appointment': {
      const { appointment: a, patient: p, clinician: c } = becomes;
      const who = p
        ? `${p.familyName.toUpperCase()}, ${p.givenName}${p.nhsNumber ? ` (NHS ${formatNhsNumber(p.nhsNumber)}${p.nhsNumberStatus === 'invalid' ? ', fails its check' : ''})` : ''}`
        : a.patientId;
      return `Appointment ${a.id}: ${localTimeOf(a.start)}–${localTimeOf(a.end)}, ${DESK_STATUS_LABEL[a.status]}, ${APPOINTMENT_TYPE_LABEL[a.type]}, ${who}, with ${c?.name ?? a.clinicianId}`;
    }
    case 'free-slot':
      return `Free slot ${becomes.slot.id}: ${localTimeOf(becomes.slot.start)}–${localTimeOf(becomes.slot.end)}`;
    case 'left-out':
      return `Left out: ${becomes.why}`;
    case 'problem':
      return `Problem in column ${becomes.column}: ${becomes.message}`;
  }
}

export interface FeedMappingActions {
  chooseFile(event: ChangeEvent<HTMLInputElement>): void;
  chooseColumn(field: CsvField, column: string | null): void;
  chooseDelimiter(delimiter: CsvDelimiter): void;
  choosePreset(id: string): void;
  useGuess(): void;
  setName(name: string): void;
  save(event: FormEvent): void;
}

function SampleTable({ preview }: { preview: FeedMappingPreview }) {
  return (
    <div className="feed-mapping-scroll" tabIndex={0} role="region" aria-label="The sample’s first rows">
      <table className="feed-mapping-table" data-testid="feed-sample">
        <caption>The sample’s first rows, as the file has them</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            {preview.header.map((name, i) => (
              <th scope="col" key={`${i}-${name}`}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.row}>
              <th scope="row">{r.row}</th>
              {preview.header.map((_, i) => (
                <td key={i}>{r.cells[i] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The screen as plain elements from its state, so a test can render it without a page. */
export function FeedMappingPanelBody({ screen, actions }: { screen: FeedMappingScreen; actions: FeedMappingActions }) {
  const { preview, mapping } = screen;
  const header = preview?.header ?? [];
  const preset = FEED_MAPPING_PRESETS.find((p) => p.id === screen.preset);
  return (
    <div className="feed-mapping">
      <h2>Mapping for report exports and backup files</h2>
      {screen.state ? (
        <p data-testid="feed-mapping-in-force">
          {inForceText(screen.state.inForce)}
          {screen.state.saved ? ` Saved mapping: “${screen.state.saved.name}”, by ${screen.state.saved.savedBy}.` : ''}
        </p>
      ) : null}
      <form aria-label="Mapping for report exports" onSubmit={actions.save}>
        <p>
          <label>
            Sample file (an export or backup file from the clinical system){' '}
            <input type="file" accept=".csv,.txt,.tsv,text/csv,text/plain" onChange={actions.chooseFile} data-testid="feed-sample-file" />
          </label>
          {screen.fileName ? <span> Reading {screen.fileName}.</span> : null}
        </p>
        <p>
          <label>
            Start from a ready-made mapping{' '}
            <select value={screen.preset} onChange={(e) => actions.choosePreset(e.target.value)} disabled={mapping === null} data-testid="feed-preset">
              <option value="">The guess from the sample</option>
              {FEED_MAPPING_PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" className="button" onClick={actions.useGuess} disabled={preview === null}>
            Back to the guess
          </button>
        </p>
        {preset ? <p className="feed-mapping-note">{preset.note}</p> : null}
        {preview ? <SampleTable preview={preview} /> : null}
        {mapping ? (
          <fieldset>
            <legend>Which column holds each desk field (guessed from the columns’ names and values; change any)</legend>
            <p>
              <label>
                Columns are separated by{' '}
                <select value={mapping.delimiter} onChange={(e) => actions.chooseDelimiter(e.target.value as CsvDelimiter)} data-testid="feed-delimiter">
                  {CSV_DELIMITERS.map((d) => (
                    <option key={d} value={d}>
                      {DELIMITER_LABEL[d]}
                    </option>
                  ))}
                </select>
              </label>
            </p>
            <div className="feed-mapping-fields">
              {CSV_FIELD_NAMES.map((field) => {
                const chosen = mapping.columns[field];
                const spec = CSV_FIELDS[field];
                return (
                  <label key={field} className="feed-mapping-field" title={spec.what}>
                    <span>
                      {spec.label}
                      {spec.required ? ' (needed)' : ''}
                    </span>
                    <select value={chosen ?? ''} onChange={(e) => actions.chooseColumn(field, e.target.value === '' ? null : e.target.value)} data-testid={`feed-map-${field}`}>
                      <option value="">(no column)</option>
                      {chosen !== null && !header.includes(chosen) ? <option value={chosen}>{chosen} (not in the sample)</option> : null}
                      {header
                        .filter((name) => name !== '')
                        .map((name) => (
                          <option key={name} value={name}>
                            {name}
                          </option>
                        ))}
                    </select>
                  </label>
                );
              })}
            </div>
          </fieldset>
        ) : null}
        {preview && preview.problems.length > 0 ? (
          <div role="alert" data-testid="feed-mapping-problems">
            <p>The mapping cannot be saved yet:</p>
            <ul>
              {preview.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {preview ? (
          <table className="feed-mapping-table" data-testid="feed-preview">
            <caption>What each row becomes</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Becomes</th>
              </tr>
            </thead>
            <tbody aria-live="polite">
              {preview.rows.map((r) => (
                <tr key={r.row} className={r.becomes.kind === 'problem' ? 'feed-mapping-problem' : undefined} data-testid={`feed-row-${r.row}`}>
                  <th scope="row">{r.row}</th>
                  <td>{outcomeText(r.becomes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p>
          <label>
            Name <input type="text" value={screen.name} maxLength={100} required onChange={(e) => actions.setName(e.target.value)} data-testid="feed-mapping-name" />
          </label>{' '}
          <button
            type="submit"
            className="button"
            disabled={mapping === null || screen.busy || (preview?.problems.length ?? 0) > 0 || screen.name.trim() === ''}
            data-testid="feed-mapping-save"
          >
            Save as the practice’s mapping
          </button>
        </p>
      </form>
      {screen.busy ? <p role="status">Reading the sample…</p> : null}
      {screen.message ? (
        <p role={screen.message.kind === 'error' ? 'alert' : 'status'} data-testid="feed-mapping-message">
          {screen.message.text}
        </p>
      ) : null}
    </div>
  );
}
