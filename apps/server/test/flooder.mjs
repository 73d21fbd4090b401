// A hand-written client flooding a document with keystrokes, in a process of its own so the test's clients do not share
// its CPU: `node flooder.mjs <ws url of the document> <sockets>`. Each socket asks for the document, then sends a keystroke
// and its deletion in a frame, as fast as the server reads them. On SIGTERM, prints the frames sent, the
// sockets still open and why the others were closed, then exits.
import process from 'node:process'
import { setTimeout } from 'node:timers'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import WebSocket from 'ws'
import * as Y from 'yjs'

const [url, sockets] = process.argv.slice(2)
let sent = 0
let running = true
const opened = []
/** Why the server closed sockets, if it did: the test must tell a refusal from a slowing. */
const closes = []
process.on('SIGTERM', () => {
  running = false
  const open = opened.filter((socket) => socket.readyState === WebSocket.OPEN).length
  process.stdout.write(`${JSON.stringify({ sent, open, closes })}\n`)
  process.exit(0)
})

const message = (write) => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  write(encoder)
  return encoding.toUint8Array(encoder)
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function flood(index) {
  const socket = new WebSocket(url)
  opened.push(socket)
  socket.on('close', (code, reason) => running && closes.push({ socket: index, code, reason: reason.toString() }))
  socket.binaryType = 'arraybuffer'
  const doc = new Y.Doc()
  const synced = new Promise((resolve) => {
    socket.on('message', (data) => {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(decoder) !== 0) return
      const step = decoding.readVarUint(decoder)
      if (step === syncProtocol.messageYjsSyncStep2) {
        Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
        resolve()
      }
    })
  })
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)))
  socket.send(message((encoder) => syncProtocol.writeSyncStep1(encoder, new Y.Doc())))
  await synced
  doc.clientID = 700_000 + index
  socket.send(message((encoder) => syncProtocol.writeSyncStep2(encoder, doc, new Uint8Array([0]))))
  const text = doc.getXmlFragment('body').get(0).get(0)
  const frames = []
  doc.on('update', (update) => frames.push(message((encoder) => syncProtocol.writeUpdate(encoder, update))))
  process.stdout.write(`${JSON.stringify({ ready: index })}\n`)
  while (running && socket.readyState === WebSocket.OPEN) {
    frames.length = 0
    for (let n = 0; n < 500; n++) {
      // A keystroke and its deletion in one frame, at the end of the text: the deleted letter joins the one before, so
      // the document does not grow and the flood never meets the limit of items a person may bring (MAX_STRUCTS_PER_PERSON,
      // 100,000: a keystroke at the start, deleted in a frame of its own, is one more item each, and four sockets reach
      // it in seconds on a fast machine). What is measured is the handling budget alone.
      doc.transact(() => {
        const end = text.length
        text.insert(end, 'x')
        text.delete(end, 1)
      })
    }
    for (const frame of frames) socket.send(frame)
    sent += frames.length
    while (running && socket.bufferedAmount > 64 * 1024) await sleep(2)
    await sleep(0)
  }
}

await Promise.all(Array.from({ length: Number(sockets) }, (_, index) => flood(index)))
