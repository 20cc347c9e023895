/**
 * Reading a zip's files, for extracts that arrive zipped. Our own rather than a dependency: a zip is a central
 * directory of fixed-layout records and Node's zlib inflates its entries; about a hundred lines. Stored (0) and
 * deflated (8) entries only, no ZIP64 and no encryption: each of those is refused by name, never half read.
 */
import zlib from 'node:zlib';
import { isLocalDate } from '../../../../shared/domain';
import { londonWallClock } from '../time';

interface ZipEntry {
  /** The path inside the zip, "/"-separated. */
  name: string;
  data: Buffer;
  /** The entry's own modification time (DOS time, London wall clock), as an ISO instant; null when unset. */
  modifiedAt: string | null;
}

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Largest entry inflated: a zip bomb stops here rather than filling memory. */
const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

export function readZip(zip: Buffer): ZipEntry[] {
  // The end-of-central-directory record is the last 22 bytes, before a comment of up to 65,535.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('is not a zip file (no central directory; it may be truncated)');
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('is a ZIP64 archive, which is not read: zip the extract without ZIP64');
  if (cdOffset + cdSize > eocd) throw new ZipError('has a central directory past its end (it may be truncated)');
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipError(`central directory entry ${n + 1} is damaged`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const time = zip.readUInt16LE(at + 12);
    const date = zip.readUInt16LE(at + 14);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise it is in the DOS code page, which for the ASCII names extracts have is the same.
    const name = (flags & 0x800 ? nameBytes.toString('utf8') : nameBytes.toString('latin1')).replace(/\\/g, '/');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (flags & 0x1) throw new ZipError(`${name}: is encrypted; give the extract unencrypted`);
    if (size > MAX_ENTRY_BYTES) throw new ZipError(`${name}: is ${Math.round(size / 1e6)} MB unzipped; the largest read is ${MAX_ENTRY_BYTES / 1e6} MB`);
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL) throw new ZipError(`${name}: its local header is damaged`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressed);
    if (raw.length !== compressed) throw new ZipError(`${name}: is cut short (the zip may be truncated)`);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw new ZipError(`${name}: cannot be inflated (${error instanceof Error ? error.message : String(error)})`);
      }
    } else throw new ZipError(`${name}: uses compression method ${method}; only stored and deflated entries are read`);
    if (data.length !== size || zlib.crc32(data) !== crc) throw new ZipError(`${name}: fails its checksum (the zip is damaged)`);
    entries.push({ name, data, modifiedAt: dosTime(date, time) });
  }
  return entries;
}

/** DOS date and time fields as an ISO instant, read as London wall clock (what the zipping PC's clock said). */
function dosTime(date: number, time: number): string | null {
  if (date === 0) return null;
  const year = 1980 + (date >> 9);
  const month = (date >> 5) & 0xf;
  const day = date & 0x1f;
  const hour = time >> 11;
  const minute = (time >> 5) & 0x3f;
  const second = (time & 0x1f) * 2;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  return londonWallClockOf(year, month, day, hour, minute, second);
}

function londonWallClockOf(year: number, month: number, day: number, hour: number, minute: number, second: number): string | null {
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isLocalDate(date) ? londonWallClock(date, hour, minute, second) : null;
}
