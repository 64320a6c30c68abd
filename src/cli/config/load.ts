/** Reads a config file: JSON (.json) or YAML (.yaml, .yml), with the line of a syntax error. */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, UsageError } from '../io.js';

export const CONFIG_EXTENSIONS = ['.json', '.yaml', '.yml'];

/** The file's name without its extension: the default run name. */
export function configName(path: string): string {
  return basename(path, extname(path)).replace(/[^\w.+-]/g, '_') || 'run';
}

/** Line and column of a character offset. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Parses the config at `path`; messages name the file as `shown` (what the user typed). */
export async function readConfigFile(path: string, shown = path): Promise<unknown> {
  const ext = extname(path).toLowerCase();
  if (!CONFIG_EXTENSIONS.includes(ext)) {
    throw new UsageError(`config '${shown}': expected a .json, .yaml or .yml file, got ${ext === '' ? 'no extension' : `'${ext}'`}`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`config '${shown}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : (e as Error).message}`);
  }
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      const message = (e as Error).message;
      const pos = /position (\d+)/.exec(message);
      throw new ConfigError('', `not valid JSON${pos ? ` at ${lineCol(text, Number(pos[1]))}` : ''}: ${message}`, shown);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const where = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
      throw new ConfigError('', `not valid YAML${where}: ${e.message.split('\n')[0]}`, shown);
    }
    throw e;
  }
}
