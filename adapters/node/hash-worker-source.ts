/**
 * The hashing worker's code, as plain CommonJS run with `eval: true`: a worker needs no TypeScript loader, so it runs
 * the same under tsx, vitest and plain node. It opens a file by path (never through a link), checks the identity the
 * inventory saw, reads one range and hashes it in blocks; or hashes bytes it was sent; or a batch of small files, each
 * read whole into one reused buffer.
 */
export const HASH_WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
let buffer = Buffer.alloc(0);
const blocks = (bytes, blockSize) => {
  const out = [];
  for (let at = 0; at < bytes.length; at += blockSize) out.push(createHash('sha256').update(bytes.subarray(at, Math.min(bytes.length, at + blockSize))).digest('hex'));
  return out;
};
const readRange = (m) => {
  const fd = fs.openSync(m.path, FLAGS);
  try {
    const s = fs.fstatSync(fd);
    if (!s.isFile() || s.ino !== m.ino || s.size !== m.size || Math.floor(s.mtimeMs) !== m.mtime) {
      throw Object.assign(new Error('changed since the inventory'), { code: 'QUINTET_CHANGED' });
    }
    if (buffer.length < m.length) buffer = Buffer.allocUnsafe(m.length);
    let got = 0;
    while (got < m.length) {
      const n = fs.readSync(fd, buffer, got, m.length - got, m.offset + got);
      if (n === 0) break;
      got += n;
    }
    if (got < m.length) throw Object.assign(new Error('file shorter than its stat'), { code: 'QUINTET_CHANGED' });
    return buffer.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
};
const readWhole = (j) => {
  const fd = fs.openSync(j.path, FLAGS);
  try {
    const s = fs.fstatSync(fd);
    if (!s.isFile() || s.ino !== j.ino || s.size !== j.size || Math.floor(s.mtimeMs) !== j.mtime) {
      throw Object.assign(new Error('changed since the inventory'), { code: 'QUINTET_CHANGED' });
    }
    const bytes = (buffer.length < j.size ? (buffer = Buffer.allocUnsafe(j.size)) : buffer).subarray(0, j.size);
    let got = 0;
    while (got < j.size) {
      const n = fs.readSync(fd, bytes, got, j.size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got < j.size) throw Object.assign(new Error('file shorter than its stat'), { code: 'QUINTET_CHANGED' });
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
};
const batch = (m) => {
  const results = [];
  for (const j of m.batch) {
    try {
      results.push({ hashes: blocks(readWhole(j), j.blockSize) });
    } catch (e) {
      results.push({ error: { code: e && e.code, message: String(e && e.message || e) } });
    }
  }
  parentPort.postMessage({ id: m.id, results });
};
parentPort.on('message', (m) => {
  if (m.batch) return batch(m);
  try {
    const bytes = m.path !== undefined ? readRange(m) : Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
    parentPort.postMessage({ id: m.id, hashes: blocks(bytes, m.blockSize) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { code: e && e.code, message: String(e && e.message || e) } });
  }
});
`;
