import jsonLogic from "json-logic-js";
import type { RulesLogic } from "json-logic-js";

/**
 * The one rule language of form definitions: JsonLogic (jsonlogic.com), evaluated by json-logic-js —
 * the same module on the server (validation, what is stored, the fee) and in the browser (what is
 * shown), so the two cannot disagree (docs/decisions/030-form-rules.md).
 *
 * A rule is data an agency administrator writes, so it is checked before it is kept: only the
 * operators below (no `method`, which calls JavaScript methods, no `log`), `var` naming a field by
 * its name only, literals of bounded size, and a bounded depth and size, so any rule evaluates in
 * microseconds and reads nothing but the answers it is given.
 */
export type Rule = RulesLogic<{ count: RulesLogic }>;

/** The operators a rule may use: comparison, logic, arithmetic, membership, and `count` (below). */
export const RULE_OPERATORS = [
  "var",
  "==",
  "!=",
  "===",
  "!==",
  "!",
  "!!",
  "and",
  "or",
  "if",
  ">",
  ">=",
  "<",
  "<=",
  "in",
  "+",
  "-",
  "*",
  "/",
  "%",
  "min",
  "max",
  "count",
] as const;
const OPERATORS: ReadonlySet<string> = new Set(RULE_OPERATORS);

const FIELD_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const MAX_DEPTH = 12;
const MAX_NODES = 200;
const MAX_STRING = 200;

/**
 * `{"count": {"var": "founders"}}`: how many rows a repeating group has (0 when it has none or is
 * hidden) — what a fee per founder or a section shown for several owners reads. The one operator
 * added to JsonLogic's own, registered once where rules are evaluated.
 */
jsonLogic.add_operation("count", (rows: unknown) => (Array.isArray(rows) ? rows.length : 0));

export const RULE_FINDINGS = [
  "too_long",
  "too_deep",
  "not_finite",
  "text_too_long",
  "not_a_rule",
  "one_operator",
  "unknown_operator",
  "var_name",
  "var_args",
] as const;
/** What is wrong with a rule (an i18n key's last part: form_admin.checks.rule.*), with its parameters; `at` is where in the rule. */
export type RuleProblem = { finding: (typeof RULE_FINDINGS)[number]; params: Record<string, string> };

/** What is wrong with a value as a rule, each finding named so an administrator can be told it in their language; empty when it is a rule. */
export function ruleProblems(value: unknown): RuleProblem[] {
  const problems: RuleProblem[] = [];
  let nodes = 0;
  const found = (finding: RuleProblem["finding"], params: Record<string, string>) => problems.push({ finding, params });
  const visit = (node: unknown, depth: number, at: string): void => {
    nodes += 1;
    if (nodes === MAX_NODES + 1) found("too_long", { max: String(MAX_NODES) });
    if (depth > MAX_DEPTH) {
      found("too_deep", { max: String(MAX_DEPTH), at });
      return;
    }
    if (node === null || typeof node === "boolean") return;
    if (typeof node === "number") {
      if (!Number.isFinite(node)) found("not_finite", { at });
      return;
    }
    if (typeof node === "string") {
      if (node.length > MAX_STRING) found("text_too_long", { max: String(MAX_STRING), at });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, depth + 1, `${at}[${i}]`));
      return;
    }
    if (typeof node !== "object") {
      found("not_a_rule", { at });
      return;
    }
    const keys = Object.keys(node);
    const [op] = keys;
    if (keys.length !== 1 || op === undefined) {
      found("one_operator", { at, found: keys.length === 0 ? "—" : keys.join(", ") });
      return;
    }
    if (!OPERATORS.has(op)) {
      found("unknown_operator", { at, op, allowed: RULE_OPERATORS.join(" ") });
      return;
    }
    const args: unknown = Reflect.get(node, op);
    if (op === "var") {
      const name = Array.isArray(args) ? args[0] : args;
      if (typeof name !== "string" || !FIELD_NAME.test(name)) found("var_name", { at, got: JSON.stringify(name) ?? "undefined" });
      if (Array.isArray(args)) {
        if (args.length > 2) found("var_args", { at });
        if (args.length === 2) visit(args[1], depth + 1, `${at}.var[1]`);
      }
      return;
    }
    visit(args, depth + 1, `${at}.${op}`);
  };
  visit(value, 0, "rule");
  return problems;
}

/** A rule problem in one line, for developers (a seed file's error): its finding and parameters. */
export const ruleProblemLine = (p: RuleProblem): string => `${p.finding} ${JSON.stringify(p.params)}`;

/** A value that passed ruleProblems (definition.ts's RuleSchema uses it: no zod here, for the browser's first load). */
export function isRule(value: unknown): value is Rule {
  return ruleProblems(value).length === 0;
}

/** The rule's value for these answers (JsonLogic's semantics: `==` loose, missing fields null). */
export function evaluateRule(rule: Rule, answers: Readonly<Record<string, unknown>>): unknown {
  return jsonLogic.apply(rule, answers);
}

/** Whether the rule holds for these answers, by JsonLogic's truthiness: false, null, 0, "" and [] do not hold ("0" does). */
export function ruleHolds(rule: Rule, answers: Readonly<Record<string, unknown>>): boolean {
  return jsonLogic.truthy(evaluateRule(rule, answers));
}

/** The field names a rule reads, in the order they first appear. */
export function ruleFields(rule: Rule): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [op, args] of Object.entries(node)) {
      if (op === "var") {
        const name: unknown = Array.isArray(args) ? args[0] : args;
        if (typeof name === "string") found.add(name);
        if (Array.isArray(args)) args.slice(1).forEach(visit);
      } else visit(args);
    }
  };
  visit(rule);
  return [...found];
}
