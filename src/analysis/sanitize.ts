// Analysis stage: blank out kernel-only C (annotations, iterator macros, #if inside initializers) so
// tree-sitter sees plain C. Every edit preserves length and newlines, so positions stay exact.

/** Annotations that are empty or attribute-like to the compiler but confuse a C grammar. */
const BARE_ANNOTATIONS = [
  '__iomem', '__user', '__rcu', '__percpu', '__force', '__bitwise', '__kernel', '__safe',
  '__init', '__exit', '__initdata', '__initconst', '__exitdata', '__devinit', '__devexit', '__devinitdata',
  '__cpuinit', '__ref', '__refdata', '__net_init', '__net_exit', '__net_initdata',
  '__maybe_unused', '__always_unused', '__must_check', '__cold', '__hot', '__sched', '__visible',
  '__used', '__weak', '__pure', '__noreturn', '__randomize_layout', '__no_randomize_layout',
  '__read_mostly', '__ro_after_init', '____cacheline_aligned_in_smp', '____cacheline_aligned',
  '__cacheline_aligned_in_smp', '__cacheline_aligned', '__packed', '__deprecated', '__latent_entropy',
  'noinline_for_stack', 'noinline', 'asmlinkage', 'notrace', '__always_inline', '__attribute_const__',
  '__nocast', '__private', '__must_hold_rcu', '__acquire', '__release', 'fallthrough',
];

/** Annotations that take a parenthesized argument: `__acquires(x)`, `__aligned(8)`, `__printf(2, 3)`. */
const CALL_ANNOTATIONS = [
  '__acquires', '__releases', '__must_hold', '__aligned', '__printf', '__scanf', '__section',
  '__counted_by', '__guarded_by', '__alloc_size', '__cond_acquires', '__cond_releases', '__nonstring',
  '__free',
];

const bareRe = new RegExp(`\\b(?:${BARE_ANNOTATIONS.join('|')})\\b`, 'g');
const callRe = new RegExp(`\\b(?:${CALL_ANNOTATIONS.join('|')})\\s*\\((?:[^()]|\\([^()]*\\))*\\)`, 'g');
// An iterator macro used as a loop head at the start of a statement: `list_for_each_entry(pos, head, m) {`.
// Rewritten to `while` + padding; the comma expression in its parentheses is valid C.
const forEachRe = /^([ \t]*(?:\}[ \t]*else[ \t]+)?)((?:[A-Za-z_][A-Za-z0-9_]*)?for_each[A-Za-z0-9_]*)(?=[ \t]*\()/gm;
// A macro argument that is a type: `container_of(p, struct foo, member)`, `list_entry(x, struct foo, list)`.
const typeArgRe = /([(,][ \t\n]*)(struct|union|enum)([ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*)(?=[,)])/g;
// `min_t(int, a, b)`: a primitive type as a macro argument; replaced by an identifier of the same length.
const primitiveArgRe = /([(,][ \t]*)((?:unsigned|signed|int|long|short|char|bool)(?:[ \t]+(?:int|long|short|char))*)(?=[ \t]*,)/g;
// `10000baseT_Full` as a macro argument (token pasting): not a C token; make it an identifier.
const linkModeRe = /\b(\d+)(base[A-Za-z0-9_]*)/g;
const initializerStartRe = /^(?:static[ \t]+)?(?:const[ \t]+)?(?:struct|union)[ \t]+\w+[ \t]+(?:const[ \t]+)?\w+(?:\[[^\]]*\])?[ \t]*=[ \t]*\{[ \t]*$/;
// `static SIMPLE_DEV_PM_OPS(foo_pm, s, r);` at file scope: without its storage class it parses as a call.
const staticMacroRe = /^(?:static[ \t]+(?:const[ \t]+)?|const[ \t]+)(?=[A-Z][A-Z0-9_]*[ \t]*\()/gm;
// `case 1 ... 5:` (a GNU range) becomes `case 1  +  5:`, which the grammar accepts.
const caseRangeRe = /(\bcase\b[^:\n]*?[ \t])\.\.\.(?=[ \t])/g;
const preprocCondRe = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b/;

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/** From the `(` at or after `from`: does the balanced argument list end in `;` (a statement, not a loop head)? */
function isCallStatement(text: string, from: number): boolean {
  let i = text.indexOf('(', from);
  if (i === -1) return false;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) break;
  }
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10) return c === 59;
  }
  return false;
}

/**
 * Returns `text` with kernel-only constructs blanked, byte for byte the same length and
 * with newlines in the same places.
 */
export function sanitizeKernelC(text: string): string {
  let out = text.replace(callRe, blank).replace(bareRe, blank);
  out = out.replace(forEachRe, (m: string, lead: string, name: string, offset: number, whole: string) =>
    // `idr_for_each(&idr, cb, NULL);` is a call, not a loop head: keep it.
    isCallStatement(whole, offset + m.length) ? m : lead + 'while' + ' '.repeat(name.length - 5),
  );
  out = out.replace(typeArgRe, (m, lead: string, kw: string, rest: string, offset: number, whole: string) => {
    // Keep `sizeof(struct foo)`: the rules read the type from it.
    const before = whole.slice(Math.max(0, offset - 8), offset + lead.length - 1);
    if (/sizeof\s*$/.test(before)) return m;
    return lead + ' '.repeat(kw.length) + rest;
  });
  out = out.replace(primitiveArgRe, (_m, lead: string, type: string) => lead + '_'.repeat(type.length));
  out = out.replace(linkModeRe, (_m, digits: string, rest: string) => '_'.repeat(digits.length) + rest);
  out = out.replace(staticMacroRe, (m: string) => ' '.repeat(m.length));
  out = out.replace(caseRangeRe, (_m, lead: string) => lead + ' + ');
  return blankConditionalsInInitializers(out);
}

/**
 * `#ifdef` lines inside a top-level struct initializer break tree-sitter's initializer list;
 * blanking them keeps both branches' designated entries, which is what a reader of bindings wants.
 */
function blankConditionalsInInitializers(text: string): string {
  if (!text.includes('#')) return text;
  const lines = text.split('\n');
  let inside = false;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inside) {
      if (line.endsWith('{') && initializerStartRe.test(line)) inside = true;
      continue;
    }
    if (line.startsWith('}')) {
      inside = false;
      continue;
    }
    if (line.includes('#') && preprocCondRe.test(line)) {
      lines[i] = blank(line);
      changed = true;
    }
  }
  return changed ? lines.join('\n') : text;
}
