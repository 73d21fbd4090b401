import { Inflate } from 'fflate'

/**
 * Reading a zip (a .docx) without trusting what it says about itself: the
 * entries are listed from the central directory and located through their
 * local headers, as unzip tools (and mammoth's JSZip) do, and inflated in
 * small steps while the bytes that actually come out are counted, so a
 * package that declares a few KiB and unpacks to gigabytes is stopped at
 * the limit, having used no more memory than one step.
 */
export class ZipError extends Error {}

/** The package unpacks to more than the budget allows. */
export class ZipTooLarge extends ZipError {}

export interface ZipEntry {
  name: string
  /** 0: stored, 8: deflated. */
  method: number
  compressedSize: number
  dataStart: number
}

const END_OF_DIRECTORY = 0x06054b50
const DIRECTORY_ENTRY = 0x02014b50
const LOCAL_HEADER = 0x04034b50
/** Compressed bytes fed to the inflater at a time: deflate expands at most about 1,032 times, so each step yields at most about 1 MiB. */
const STEP = 1024

export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const u16 = (at: number) => view.getUint16(at, true)
  const u32 = (at: number) => view.getUint32(at, true)
  let end = -1
  // The end record is 22 bytes and may be followed by a comment of up to 65,535.
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === END_OF_DIRECTORY) {
      end = at
      break
    }
  }
  if (end < 0) throw new ZipError('no central directory')
  const count = u16(end + 10)
  let offset = u32(end + 16)
  if (count === 0xffff || offset === 0xffffffff) throw new ZipError('ZIP64 packages are not read')
  const entries: ZipEntry[] = []
  const decoder = new TextDecoder()
  for (let index = 0; index < count; index++) {
    if (offset + 46 > bytes.length || u32(offset) !== DIRECTORY_ENTRY) throw new ZipError('a damaged central directory')
    const nameLength = u16(offset + 28)
    const local = u32(offset + 42)
    if (local + 30 > bytes.length || u32(local) !== LOCAL_HEADER) throw new ZipError('a damaged local header')
    const entry: ZipEntry = {
      name: decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      method: u16(offset + 10),
      compressedSize: u32(offset + 20),
      dataStart: local + 30 + u16(local + 26) + u16(local + 28),
    }
    if (entry.dataStart + entry.compressedSize > bytes.length) throw new ZipError('an entry runs past the end of the file')
    entries.push(entry)
    offset += 46 + nameLength + u16(offset + 30) + u16(offset + 32)
  }
  return entries
}

/**
 * Inflates one entry, taking what comes out from `budget.left` and stopping
 * (`ZipTooLarge`) the moment it runs out. Returns the bytes when `keep`,
 * otherwise counts and discards them.
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, budget: { left: number }, keep: boolean): Uint8Array | null {
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize)
  const take = (length: number) => {
    budget.left -= length
    if (budget.left < 0) throw new ZipTooLarge('the package unpacks to more than the limit')
  }
  if (entry.method === 0) {
    take(data.length)
    return keep ? data : null
  }
  if (entry.method !== 8) throw new ZipError(`"${entry.name}" uses a compression Word does not write`)
  const chunks: Uint8Array[] = []
  const inflater = new Inflate((chunk) => {
    take(chunk.length)
    if (keep) chunks.push(chunk)
  })
  for (let at = 0; at < data.length; at += STEP) inflater.push(data.subarray(at, at + STEP), at + STEP >= data.length)
  if (data.length === 0) inflater.push(new Uint8Array(0), true)
  if (!keep) return null
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}
