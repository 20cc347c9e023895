/**
 * What every part of the desk that changes the mirror is given by the service: the database, the mirror and the
 * journal it changes together in one transaction, the desk's clock, and the service's emitter (events go out only
 * after the commit). The parts that need more extend it.
 */
import type { DeskEvent } from '../../shared/api';
import type { Journal } from './store/journal';
import type { MirrorStore } from './store/mirror';
import type { Db } from './store/sql';

export interface DeskDeps {
  db: Db;
  mirror: MirrorStore;
  journal: Journal;
  clock: () => Date;
  /** The service's emitter: events go out only after the commit. */
  emit: (event: DeskEvent) => void;
}
