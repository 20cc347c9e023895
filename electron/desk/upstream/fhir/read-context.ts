/**
 * What every part of one FHIR read shares: the index of what was found, the batch being filled, and the ways to
 * resolve a reference, report a problem and make an item. The parts (read-staff, read-patients,
 * read-appointments) fill the batch in that order, each reading what the one before put there.
 */
import type { z } from 'zod';
import {
  emptyBatch,
  fingerprintOf,
  isFingerprintOf,
  sha256Version,
  type KnownFingerprints,
  type Problems,
  type ResourceType,
  type UpstreamBatch,
  type UpstreamItem,
} from '../batch';
import { makeLocalDateCache } from '../time';
import { asResourceType, REF_RE, type Indexed, type ResourceIndex } from './read-index';
import type { Reference } from './resources';

export interface ReadOptions {
  /** The file (or server) named in messages. */
  file: string;
  source: string;
  problems: Problems;
  /** The dates the batch is complete for; by default, the dates its appointments fall on. */
  dates?: readonly string[];
  /**
   * Fingerprints of the records the mirror holds (UpstreamDesk.knownFingerprints). A record found at the same
   * fingerprint is not read again, only checked for what the batch needs: an unchanged refresh stays cheap.
   */
  known?: KnownFingerprints | undefined;
  /** A time the data is known to have been true upstream by: the file's modification time, a pull's first request. */
  asOf?: string | null | undefined;
}

export class ReadContext {
  readonly file: string;
  readonly batch: UpstreamBatch;
  readonly localDate = makeLocalDateCache();

  constructor(
    readonly index: ResourceIndex,
    readonly options: ReadOptions,
  ) {
    this.file = options.file;
    this.batch = emptyBatch(options.source);
  }

  readonly versionOf = (x: Indexed): string => {
    // No versionId: the content itself is the version (a file exported without meta).
    if (x.version === '') x.version = sha256Version(JSON.stringify(x.resource));
    return x.version;
  };

  readonly refKey = (ref: Reference | undefined): string | null => {
    if (!ref?.reference) return null;
    // "Type/id" whichever way it was written: a transaction's entries refer to each other by fullUrl (urn:uuid),
    // and everything below looks records up by type and id.
    const target = this.index.get(ref.reference);
    if (target !== undefined) return `${target.type}/${target.id}`;
    const m = REF_RE.exec(ref.reference);
    return m ? `${m[1]}/${m[2]}` : ref.reference;
  };

  readonly refType = (ref: Reference): string | null => {
    if (ref.type) return ref.type;
    const key = this.refKey(ref);
    if (key === null) return null;
    return this.index.get(key)?.type ?? REF_RE.exec(key)?.[1] ?? null;
  };

  readonly problem = (x: Indexed, field: string, message: string): void => {
    this.options.problems.report({ file: this.file, where: x.where, resourceType: asResourceType(x.type), id: x.id, field: `${x.type}.${field}`, message });
  };

  /** Parses with zod; a shape problem names the element ("Appointment.participant.0.actor"). */
  readonly parse = <T>(schema: z.ZodType<T>, x: Indexed): T | null => {
    const result = schema.safeParse(x.resource);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    this.problem(x, issue ? issue.path.map(String).join('.') || '(resource)' : '(resource)', issue?.message ?? 'is not valid');
    return null;
  };

  readonly item = <T>(x: Indexed, resourceType: ResourceType, entity: T, dependencies: readonly string[] = []): UpstreamItem<T> => ({
    resourceType,
    id: x.id,
    version: this.versionOf(x),
    fingerprint: fingerprintOf(this.versionOf(x), dependencies),
    format: 'fhir',
    raw: x.resource,
    entity,
    file: this.file,
    where: x.where,
  });

  /**
   * The mirror's fingerprint of this record when it is the one this record has now (same version, same
   * dependencies): reading it again would change nothing. The stored string is returned so an unchanged item
   * carries it instead of building its own, and the refresh compares it by identity.
   */
  readonly knownFingerprint = (x: Indexed, type: ResourceType, dependencies: readonly string[]): string | undefined => {
    const known = this.options.known?.byType.get(type)?.get(x.id);
    return known !== undefined && isFingerprintOf(known, this.versionOf(x), dependencies) ? known : undefined;
  };

  /** Message for a reference that does not lead to something we read. */
  readonly missing = (key: string | null, what: string): string => {
    if (key === null) return `no ${what}`;
    return this.index.get(key) !== undefined ? `refers to ${key}, which could not be read` : `refers to ${key}, which is not in the ${this.index.found ? 'bundle' : 'data'}`;
  };
}

/** The dependencies of a record that has none, shared: an unchanged refresh looks at 70,000 records. */
export const NO_DEPENDENCIES: readonly string[] = Object.freeze([]);

/** What the unchanged items of one type have in common: held once, not by each of 34,000 items. */
export interface LazyReader<T> {
  resourceType: ResourceType;
  file: string;
  read: (x: Indexed) => T | null;
}

/**
 * An item for an unchanged record whose entity is read only if the refresh turns out to need it, which it will
 * not unless the mirror changed between reading and writing. A class with what its type shares held apart, so
 * that 34,000 of them stay small objects: each one lives until the refresh is done.
 */
export class LazyItem<T> implements UpstreamItem<T> {
  private cached: T | null = null;
  constructor(
    private readonly reader: LazyReader<T>,
    private readonly x: Indexed,
    readonly fingerprint: string,
  ) {}

  get format(): 'fhir' {
    return 'fhir';
  }
  get resourceType(): ResourceType {
    return this.reader.resourceType;
  }
  get file(): string {
    return this.reader.file;
  }
  get id(): string {
    return this.x.id;
  }
  get version(): string {
    return this.x.version;
  }
  get raw(): unknown {
    return this.x.resource;
  }
  get where(): string {
    return this.x.where;
  }
  get entity(): T {
    this.cached ??= this.reader.read(this.x);
    if (this.cached === null) throw new Error(`${this.file}: ${this.where}: could not be read again; run the refresh again`);
    return this.cached;
  }
}
