/**
 * The resources found for one read, indexed by type and id (and by fullUrl), so references of any form resolve.
 */
import { type Problems, type ResourceType } from '../batch';

export type Json = Record<string, unknown>;

/** One resource as found, before it is read: where it is (a Bundle entry's index, or a description), for messages. */
export interface FoundResource {
  resource: Json;
  fullUrl?: string | undefined;
  /** "Bundle.entry[3]" in a file, the page URL's resource in a pull. */
  where: string | number;
}

/** A resource found and indexed; its description for messages is built only when one is needed. */
export class Indexed {
  constructor(
    readonly type: string,
    readonly id: string,
    readonly resource: Json,
    private readonly at: string | number,
    /** meta.versionId; '' until a content hash is taken for a resource without one. */
    public version: string,
  ) {}

  get where(): string {
    return `${describeAt(this.at)} (${this.type}/${this.id})`;
  }
}

export const describeAt = (at: string | number): string => (typeof at === 'number' ? `Bundle.entry[${at}]` : at);

export const REF_RE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * Every resource found, by type and id, and by fullUrl where an entry has one, so references of any form resolve.
 * By type and then id rather than by "Type/id": a record is found by its own id, with no key string to build and
 * hash, which an unchanged refresh of 70,000 records notices.
 */
export class ResourceIndex {
  private readonly byType = new Map<string, Map<string, Indexed>>();
  private readonly byFullUrl = new Map<string, Indexed>();
  /** Resources offered, indexed or not: whether there was anything to refer to, for messages. */
  found = 0;

  constructor(
    private readonly problems: Problems,
    private readonly file: string,
  ) {}

  add(resource: Json, fullUrl: string | undefined, where: string | number): void {
    const { problems, file } = this;
    this.found++;
    const type = resource['resourceType'] as string;
    let id = typeof resource['id'] === 'string' ? resource['id'] : undefined;
    if (id === undefined && fullUrl?.startsWith('urn:uuid:')) id = fullUrl.slice('urn:uuid:'.length);
    if (type === 'OperationOutcome' || type === 'Bundle') return;
    if (id === undefined || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
      problems.report({
        file,
        where: `${describeAt(where)} (${type})`,
        resourceType: asResourceType(type),
        id: id ?? null,
        field: `${type}.id`,
        message: id === undefined ? 'has no id' : `"${id}" is not a FHIR id`,
      });
      return;
    }
    const meta = resource['meta'] as Json | undefined;
    const versionId = meta && typeof meta === 'object' && typeof meta['versionId'] === 'string' ? meta['versionId'] : null;
    const indexed = new Indexed(type, id, resource, where, versionId ?? '');
    let ofType = this.byType.get(type);
    if (ofType === undefined) this.byType.set(type, (ofType = new Map<string, Indexed>()));
    const prior = ofType.get(id);
    if (prior) {
      // The same resource twice (an include repeated on two pages) is fine; two different versions are not.
      const same = versionId !== null ? prior.version === versionId : JSON.stringify(prior.resource) === JSON.stringify(resource);
      if (!same) {
        problems.report({
          file,
          where: indexed.where,
          resourceType: asResourceType(type),
          id,
          field: `${type}.id`,
          message: `${type}/${id} is also at ${prior.where}, with different content`,
        });
      }
      return;
    }
    ofType.set(id, indexed);
    if (fullUrl) this.byFullUrl.set(fullUrl, indexed);
  }

  /** The resources of a type, in the order found. */
  ofType(type: string): Iterable<Indexed> {
    return this.byType.get(type)?.values() ?? [];
  }

  /** The resource of this type and id, if it was indexed. */
  find(type: string, id: string): Indexed | undefined {
    return this.byType.get(type)?.get(id);
  }

  /** By an entry's fullUrl, or by "Type/id". */
  get(key: string): Indexed | undefined {
    const byUrl = this.byFullUrl.size > 0 ? this.byFullUrl.get(key) : undefined;
    if (byUrl !== undefined) return byUrl;
    const slash = key.indexOf('/');
    return slash > 0 ? this.find(key.slice(0, slash), key.slice(slash + 1)) : undefined;
  }

  /** By an entry's fullUrl only. */
  byUrl(url: string): Indexed | undefined {
    return this.byFullUrl.size > 0 ? this.byFullUrl.get(url) : undefined;
  }
}

export function asResourceType(type: string): ResourceType | null {
  switch (type) {
    case 'Organization':
    case 'Practitioner':
    case 'Schedule':
    case 'Slot':
    case 'Patient':
    case 'Appointment':
      return type;
    default:
      return null;
  }
}
