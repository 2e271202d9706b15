import path from 'node:path'

/**
 * Where a config file's syntax is broken and what kind of error it is, never the text around it:
 * a config file may hold a password, and a parser's code frame would print the line it is on.
 */
export function describeSyntaxError(file: string, content: string | null, error: unknown): string {
  const mark = (error as {mark?: {line?: number; column?: number}; reason?: string}).mark
  if (mark && typeof mark.line === 'number') {
    const reason = (error as {reason?: string}).reason ?? 'syntax error'
    return `YAML syntax error in ${file} at line ${mark.line + 1}, column ${(mark.column ?? 0) + 1}: ${withoutQuotes(reason)}`
  }

  if (/\.json$|rc$/.test(path.basename(file)) && content !== null) {
    const found = locateJsonError(content)
    if (found) return `JSON syntax error in ${file} at line ${found.line}, column ${found.column}: ${found.kind}`
  }

  const name = (error as Error)?.name && (error as Error).name !== 'Error' ? (error as Error).name : 'error'
  return `${name} in ${file}: ${withoutQuotes(String((error as Error)?.message ?? error).split('\n')[0]!)}`
}

/** A parser's message with every quoted fragment (which may be file text) left out. */
function withoutQuotes(message: string): string {
  return message.replace(/(["'`]).*?\1/g, '…').replace(/\s*\(\d+:\d+\)\s*$/, '')
}

interface JsonErrorPlace {
  line: number
  column: number
  kind: string
}

/** The first place `text` stops being JSON (JSON.parse does not say where on Node 20). */
export function locateJsonError(text: string): JsonErrorPlace | null {
  let index = 0
  const fail = (kind: string): never => {
    throw Object.assign(new Error(kind), {at: index})
  }

  const space = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index]!)) index++
  }

  const value = (): void => {
    space()
    const char = text[index]
    if (char === undefined) fail('unexpected end of the file')
    if (char === '{') {
      index++
      space()
      if (text[index] === '}') {
        index++
        return
      }

      for (;;) {
        space()
        if (text[index] !== '"') fail('expected a quoted key')
        string()
        space()
        if (text[index] !== ':') fail('expected ":" after a key')
        index++
        value()
        space()
        if (text[index] === ',') {
          index++
          continue
        }

        if (text[index] === '}') {
          index++
          return
        }

        fail(index >= text.length ? 'unexpected end of the file' : 'expected "," or "}"')
      }
    }

    if (char === '[') {
      index++
      space()
      if (text[index] === ']') {
        index++
        return
      }

      for (;;) {
        value()
        space()
        if (text[index] === ',') {
          index++
          continue
        }

        if (text[index] === ']') {
          index++
          return
        }

        fail(index >= text.length ? 'unexpected end of the file' : 'expected "," or "]"')
      }
    }

    if (char === '"') return string()
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(index, index + 400))
    if (!literal) fail('unexpected character (a value must be a string, number, object, array, true, false or null)')
    index += literal![0].length
  }

  const string = () => {
    index++
    while (index < text.length) {
      const char = text[index]!
      if (char === '\\') index += 2
      else if (char === '"') {
        index++
        return
      } else if (char === '\n') fail('unterminated string')
      else index++
    }

    fail('unterminated string')
  }

  try {
    value()
    space()
    if (index < text.length) fail('unexpected text after the end of the document')
    return null
  } catch (error) {
    const at = Math.min((error as {at?: number}).at ?? 0, text.length)
    const before = text.slice(0, at).split('\n')
    return {line: before.length, column: before.at(-1)!.length + 1, kind: (error as Error).message}
  }
}
