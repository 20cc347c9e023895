/**
 * The mapping screen's state and steps, as plain logic (tested under Node without a page): choose a sample file,
 * see the desk's preview of it with the guessed mapping, change a column or take a preset (each change asks the
 * desk for a new preview, so what is shown is what an import will do), and save the mapping as the practice's own.
 */
import {
  CSV_FIELD_NAMES,
  FEED_MAPPING_PRESETS,
  FEED_SAMPLE_MAX_CHARS,
  FEED_SAMPLE_MAX_LINES,
  type CsvDelimiter,
  type CsvField,
  type FeedMappingPreview,
  type FeedMappingState,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from '../../../shared/api';

/** What the screen needs of the desk client (renderer/src/api/client.ts's DeskClient has it). */
export interface FeedMappingClient {
  send<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
}

export interface EditedMapping {
  columns: Record<CsvField, string | null>;
  delimiter: CsvDelimiter;
}

export interface FeedMappingScreen {
  /** What is saved and which mapping the watched folder uses; null until read. */
  state: FeedMappingState | null;
  fileName: string | null;
  sample: string | null;
  preview: FeedMappingPreview | null;
  mapping: EditedMapping | null;
  /** The preset last chosen, '' when the mapping is the guess or changed by hand. */
  preset: string;
  name: string;
  busy: boolean;
  message: { kind: 'ok' | 'error'; text: string } | null;
}

export const EMPTY_SCREEN: FeedMappingScreen = {
  state: null,
  fileName: null,
  sample: null,
  preview: null,
  mapping: null,
  preset: '',
  name: '',
  busy: false,
  message: null,
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function editable(mapping: FeedMappingPreview['mapping']): EditedMapping {
  const columns = Object.fromEntries(CSV_FIELD_NAMES.map((f) => [f, mapping.columns[f] ?? null])) as Record<CsvField, string | null>;
  return { columns, delimiter: mapping.delimiter };
}

/**
 * The top of a file, whole lines only: all the preview shows, so a whole day's export need not cross the wire
 * (and a row cut in half would show as a problem it does not have).
 */
export function topOfFile(text: string): string {
  const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/).slice(0, FEED_SAMPLE_MAX_LINES);
  let top = '';
  for (const line of lines) {
    if (top.length + line.length > FEED_SAMPLE_MAX_CHARS) break;
    top += line;
  }
  return top === '' ? text.slice(0, FEED_SAMPLE_MAX_CHARS) : top;
}

export interface FeedMappingController {
  get(): FeedMappingScreen;
  subscribe(listener: () => void): () => void;
  load(): Promise<void>;
  chooseSample(fileName: string, text: string): Promise<void>;
  chooseColumn(field: CsvField, column: string | null): Promise<void>;
  chooseDelimiter(delimiter: CsvDelimiter): Promise<void>;
  choosePreset(id: string): Promise<void>;
  useGuess(): Promise<void>;
  setName(name: string): void;
  save(): Promise<void>;
}

export function createFeedMappingController(client: () => FeedMappingClient): FeedMappingController {
  let screen = EMPTY_SCREEN;
  const listeners = new Set<() => void>();
  /** Previews answer in any order; only the latest asked is shown. */
  let asked = 0;
  const set = (change: Partial<FeedMappingScreen>): void => {
    screen = { ...screen, ...change };
    for (const l of listeners) l();
  };

  const preview = async (mapping: EditedMapping | null, change: Partial<FeedMappingScreen> = {}): Promise<void> => {
    const sample = change.sample ?? screen.sample;
    if (sample === null) {
      set({ ...change, mapping });
      return;
    }
    const mine = ++asked;
    set({ ...change, mapping, busy: true, message: null });
    try {
      const answer = await client().send('previewFeedMapping', mapping === null ? { sample } : { sample, mapping });
      if (mine !== asked) return;
      set({ preview: answer, mapping: editable(answer.mapping), busy: false });
    } catch (e) {
      if (mine === asked) set({ busy: false, message: { kind: 'error', text: messageOf(e) } });
    }
  };

  return {
    get: () => screen,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load() {
      try {
        const state = await client().send('getFeedMapping', {});
        set({ state, name: screen.name || (state.saved?.name ?? '') });
      } catch (e) {
        set({ message: { kind: 'error', text: messageOf(e) } });
      }
    },
    chooseSample(fileName, text) {
      const sample = topOfFile(text);
      const name = screen.name || fileName.replace(/\.[^.]*$/, '');
      return preview(null, { fileName, sample, name, preset: '' });
    },
    chooseColumn(field, column) {
      if (screen.mapping === null) return Promise.resolve();
      return preview({ ...screen.mapping, columns: { ...screen.mapping.columns, [field]: column } }, { preset: '' });
    },
    chooseDelimiter(delimiter) {
      if (screen.mapping === null) return Promise.resolve();
      return preview({ ...screen.mapping, delimiter });
    },
    choosePreset(id) {
      const preset = FEED_MAPPING_PRESETS.find((p) => p.id === id);
      if (!preset) return Promise.resolve();
      const columns = Object.fromEntries(CSV_FIELD_NAMES.map((f) => [f, preset.mapping.columns?.[f] ?? null])) as Record<CsvField, string | null>;
      return preview({ columns, delimiter: preset.mapping.delimiter ?? screen.mapping?.delimiter ?? ',' }, { preset: id });
    },
    useGuess() {
      return screen.preview ? preview(editable(screen.preview.guessed), { preset: '' }) : Promise.resolve();
    },
    setName(name) {
      set({ name });
    },
    async save() {
      if (screen.mapping === null) return;
      set({ busy: true, message: null });
      try {
        const state = await client().send('saveFeedMapping', { name: screen.name, mapping: screen.mapping });
        set({ state, busy: false, message: { kind: 'ok', text: `Saved “${state.saved?.name ?? screen.name}” as the practice’s mapping.` } });
      } catch (e) {
        set({ busy: false, message: { kind: 'error', text: messageOf(e) } });
      }
    },
  };
}
