/**
 * Backups of the desk database to a second folder, and putting one back.
 *
 * A backup is taken with VACUUM INTO, which writes a consistent snapshot while the desk keeps writing, into a
 * hidden temporary name in the backup folder, encrypted with the database's own key (SQLite3 Multiple Ciphers
 * gives the copy the key of the connection it came from; the online backup API refuses encrypted sources). A
 * backup restores only with that key. It is then made a single self-contained file (rollback journal, not WAL),
 * flushed, checked (opened read-only, quick_check, schema version known) and only then renamed to its final name
 * (take.ts). A restore checks the file in full first and keeps the database it replaces (restore.ts).
 *
 *   settings.ts   backup-settings.json: where, how often, how many
 *   names.ts      file names (UTC timestamps) and listing a folder's backups
 *   verify.ts     checking a file without changing it
 *   take.ts       one backup, then pruning
 *   restore.ts    putting one back
 *   scheduler.ts  a backup every so often, and one on demand at exit
 */
export { BACKUP_SETTINGS_FILE, readBackupSettings } from './settings';
export { backupFileName, backupTakenAt, listBackups } from './names';
export { inspectBackups, verifyDatabaseFile } from './verify';
export { BackupError, backupDatabase, type BackupReport } from './take';
export { restoreBackup, RestoreRefusedError, type RestoreReport } from './restore';
export { BackupScheduler } from './scheduler';
