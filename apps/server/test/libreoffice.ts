import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

/**
 * LibreOffice (Debian's libreoffice-writer-nogui), as an outside reader of
 * the files Hemicycle writes: it converts them headless in a throwaway
 * profile, and rejects every tracked change with a Basic macro (what a
 * reader's "Reject All" does), so tests check what a word processor makes
 * of them rather than what we think it should.
 */
const run = promisify(execFile)

/** "Reject All" on one document, then saved as Word: the macro LibreOffice runs from the profile's Standard library. */
const REJECT_ALL = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub RejectAll(source As String, target As String)
  Dim props(0) As New com.sun.star.beans.PropertyValue
  props(0).Name = &quot;Hidden&quot;
  props(0).Value = True
  doc = StarDesktop.loadComponentFromURL(source, &quot;_blank&quot;, 0, props())
  dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  dispatcher.executeDispatch(doc.CurrentController.Frame, &quot;.uno:RejectAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  Dim save(0) As New com.sun.star.beans.PropertyValue
  save(0).Name = &quot;FilterName&quot;
  save(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(target, save())
  doc.close(True)
End Sub
</script:module>
`

type Format = 'pdf' | 'odt' | 'docx' | 'txt'

/** A file waiting for the next run converting to its format. */
interface Waiting {
  source: string
  resolve: (converted: string) => void
  reject: (error: unknown) => void
}

export class LibreOffice {
  private readonly dir = mkdtempSync(join(tmpdir(), 'hemicycle-libreoffice-'))
  private readonly profile = pathToFileURL(join(this.dir, 'profile')).href
  private ready: Promise<void> | null = null
  /** soffice runs one at a time: a second on the same profile would hand its work to the first, which then ignores it. */
  private line: Promise<void> = Promise.resolve()
  /** Files asked for while soffice was busy, by format: the next run converts them all at once (~4 s a run, mostly start-up). */
  private readonly waiting = new Map<Format, Waiting[]>()
  private files = 0

  /** soffice, killed outright if it hangs (its launcher ignores SIGTERM). */
  private async soffice(args: string[]): Promise<void> {
    await run('soffice', ['--headless', '--norestore', `-env:UserInstallation=${this.profile}`, ...args], { timeout: 120_000, killSignal: 'SIGKILL' })
  }

  /** Runs `work` once every soffice run asked for before it has ended. */
  private inLine<T>(work: () => Promise<T>): Promise<T> {
    const done = this.line.then(work)
    this.line = done.then(
      () => undefined,
      () => undefined,
    )
    return done
  }

  /** The profile, created once, with the macro in its Standard library. */
  private prepare(): Promise<void> {
    this.ready ??= this.inLine(() => this.soffice(['--terminate_after_init'])).then(() => {
      writeFileSync(join(this.dir, 'profile', 'user', 'basic', 'Standard', 'Module1.xba'), REJECT_ALL)
    })
    return this.ready
  }

  /** Writes a file into the work directory under a name of its own (tests run at once may pick the same one). */
  private written(name: string, bytes: Uint8Array): string {
    const path = join(this.dir, `${++this.files}-${name}`)
    writeFileSync(path, bytes)
    return path
  }

  /**
   * Converts the files; returns the converted files' paths, in order. Files asked for by tests running at once are
   * converted together, in one soffice run per format.
   */
  async convert(files: Array<{ name: string; bytes: Uint8Array }>, format: Format): Promise<string[]> {
    await this.prepare()
    return Promise.all(files.map(({ name, bytes }) => this.converted(this.written(name, bytes), format)))
  }

  private converted(source: string, format: Format): Promise<string> {
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(format)
      if (waiting) return void waiting.push({ source, resolve, reject })
      this.waiting.set(format, [{ source, resolve, reject }])
      void this.inLine(async () => {
        const batch = this.waiting.get(format) ?? []
        this.waiting.delete(format)
        const out = join(this.dir, `out-${format}-${Math.random().toString(36).slice(2)}`)
        try {
          await this.soffice(['--convert-to', format, '--outdir', out, ...batch.map((file) => file.source)])
          for (const file of batch) file.resolve(join(out, basename(file.source).replace(/\.[^.]+$/, `.${format}`)))
        } catch (error) {
          for (const file of batch) file.reject(error)
        }
      })
    })
  }

  /** LibreOffice's "Reject All" on a Word file; returns the path of the result, saved as Word. */
  async rejectAll(name: string, bytes: Uint8Array): Promise<string> {
    await this.prepare()
    const source = this.written(name, bytes)
    const target = join(this.dir, `rejected-${basename(source)}`)
    await this.inLine(() => this.soffice([`macro:///Standard.Module1.RejectAll("${pathToFileURL(source).href}","${pathToFileURL(target).href}")`]))
    return target
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
