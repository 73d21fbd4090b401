// Loaded with --import by a test: tells on stderr each document library the server imports.
import { register } from 'node:module'

const hook = `export async function resolve(specifier, context, next) {
  if (/^(docx|pdfkit|fontkit|mammoth)$/.test(specifier)) process.stderr.write('imported ' + specifier + '\\n')
  return next(specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
