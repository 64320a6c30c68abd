/**
 * The bits of Python's number formatting that Keras users write in callback arguments:
 * `str.format` templates such as 'ckpt-{epoch:02d}-{val_loss:.4f}.safetensors' (ModelCheckpoint)
 * and `repr(float)` (how CSVLogger's csv module writes numbers).
 */

/**
 * Python's `repr(float)`: the shortest round-trip digits (as JS), but fixed notation only for
 * exponents in [−4, 16), two-digit exponents ('1e-05'), a '.0' on integral values, and
 * 'nan' / 'inf' / '-inf'.
 */
export function pyRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac || '0'}`;
  }
  return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${pyExponent(exp)}`;
}

function pyExponent(exp: number): string {
  return `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** 'e' formatting with Python's two-digit exponent: 1.2346e-05. */
function expFormat(v: number, precision: number): string {
  const [m, e] = v.toExponential(precision).split('e');
  return `${m}e${pyExponent(Number(e))}`;
}

/** Python's 'g': fixed or exponential by the exponent, trailing zeros removed. */
function generalFormat(v: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  if (v === 0) return '0';
  const exp = Number(v.toExponential(p - 1).split('e')[1]);
  const strip = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exp >= -4 && exp < p) return strip(v.toFixed(p - 1 - exp));
  const [m, e] = v.toExponential(p - 1).split('e');
  return `${strip(m)}e${pyExponent(Number(e))}`;
}

const SPEC = /^([+ -])?(0)?(\d+)?(?:\.(\d+))?([dfFeEgG%])?$/;

/** Formats one number by a Python format spec ('02d', '.4f', '.2e', '08.3f', …). */
export function formatNumber(value: number, spec: string, field: string): string {
  const m = SPEC.exec(spec);
  if (!m) throw new RangeError(`format '{${field}:${spec}}': unsupported format spec (use e.g. 02d, .4f, .2e, .3g, .1%)`);
  const [, sign, zero, widthText, precText, type] = m;
  const prec = precText === undefined ? undefined : Number(precText);
  let text: string;
  const abs = Math.abs(value);
  if (!Number.isFinite(value)) text = Number.isNaN(value) ? 'nan' : 'inf';
  else if (type === 'd') {
    if (!Number.isInteger(value)) throw new RangeError(`format '{${field}:${spec}}': 'd' needs an integer, got ${value}`);
    text = String(abs);
  } else if (type === 'f' || type === 'F') text = abs.toFixed(prec ?? 6);
  else if (type === 'e' || type === 'E') text = expFormat(abs, prec ?? 6);
  else if (type === 'g' || type === 'G') text = generalFormat(abs, prec ?? 6);
  else if (type === '%') text = `${(abs * 100).toFixed(prec ?? 6)}%`;
  else text = prec === undefined ? pyRepr(abs) : generalFormat(abs, prec);
  if (type === 'E' || type === 'G' || type === 'F') text = text.toUpperCase();
  const neg = value < 0 || Object.is(value, -0);
  const signText = neg ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const width = widthText === undefined ? 0 : Number(widthText);
  const pad = Math.max(0, width - signText.length - text.length);
  return zero ? `${signText}${'0'.repeat(pad)}${text}` : `${' '.repeat(pad)}${signText}${text}`;
}

/**
 * Python `template.format(**values)` for numeric fields: '{name}', '{name:spec}', '{{' and '}}'.
 * An integer without a spec prints as an integer (epoch 3 → '3'); other numbers as Python's repr.
 */
export function formatTemplate(template: string, values: Record<string, number>, where: string): string {
  return template.replace(/\{\{|\}\}|\{([^{}:]*)(?::([^{}]*))?\}/g, (match, name: string | undefined, spec: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const key = name as string;
    if (!(key in values)) {
      throw new RangeError(`${where}: the path template '${template}' uses {${key}}, which is not in the logs; ` +
        `available: ${Object.keys(values).join(', ')}`);
    }
    const v = values[key];
    if (spec === undefined || spec === '') return (key === 'epoch' || key === 'batch') && Number.isInteger(v) ? String(v) : pyRepr(v);
    return formatNumber(v, spec, key);
  });
}
