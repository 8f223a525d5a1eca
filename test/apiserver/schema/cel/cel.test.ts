import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CelCompileError,
  CelEvalError,
  celToString,
  compile,
  jsonToCel,
  schemaType,
  T,
  type CelType,
  type CelValue,
} from '../../../../src/apiserver/schema/cel/index.ts';
import type { JSONSchemaProps } from '../../../../src/apiserver/schema/types.ts';

const specSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    stage: { type: 'string' },
    count: { type: 'integer' },
    ratio: { type: 'number' },
    items: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    'seed-image': { type: 'string' },
    port: { 'x-kubernetes-int-or-string': true },
    timeout: { type: 'string', format: 'duration' },
    since: { type: 'string', format: 'date-time' },
  },
};

const specType = schemaType(specSchema) ?? T.dyn;

function run(source: string, self: unknown = {}, declarations?: Map<string, CelType>): CelValue {
  const program = compile(source, declarations ?? new Map([['self', specType]]));
  return program.evaluate(new Map([['self', jsonToCel(self, specSchema)]]));
}

function compileError(source: string, declarations = new Map([['self', specType]])): string {
  try {
    compile(source, declarations);
  } catch (error) {
    assert.ok(error instanceof CelCompileError);
    return error.message;
  }
  assert.fail(`expected ${source} not to compile`);
}

function runtimeError(source: string, self: unknown = {}): string {
  try {
    run(source, self);
  } catch (error) {
    assert.ok(error instanceof CelEvalError, String(error));
    return error.message;
  }
  assert.fail(`expected ${source} to fail at runtime`);
}

describe('CEL literals and operators', () => {
  it('evaluates int, uint, double, string, bytes, bool, null, list and map literals', () => {
    assert.equal(run('1 + 2 * 3 == 7'), true);
    assert.equal(run('7 / 2 == 3 && -7 / 2 == -3 && -7 % 3 == -1'), true);
    assert.equal(run('3u + 4u == 7u'), true);
    assert.equal(run('0x1F == 31'), true);
    assert.equal(run('1.5 * 2.0 == 3.0 && 1e3 == 1000.0'), true);
    assert.equal(run("'a\\'b\\n' == \"a'b\\n\" && r'\\n'.size() == 2"), true);
    assert.equal(run("'\\u00e9\\x41\\101' == 'éAA'"), true);
    assert.equal(run("b'abc'.size() == 3 && bytes('é').size() == 2"), true);
    assert.equal(run("'''multi\nline''' == 'multi\\nline'"), true);
    assert.equal(run('null == null && [1, 2][1] == 2 && {"a": 1, "b": 2}["b"] == 2'), true);
    assert.equal(run('-9223372036854775808 < 0'), true);
  });

  it('compares numbers across int, uint and double, and other types by equality only', () => {
    assert.equal(run('1 == 1.0 && 1u == 1 && 2 > 1.5 && 1.5 < 2u'), true);
    assert.equal(run('dyn("a") == dyn(1)'), false);
    assert.equal(run("'abc' < 'abd' && b'a' < b'b' && false < true"), true);
    assert.equal(run('[1, [2]] == [1, [2]] && {"a": [1]} == {"a": [1]} && [1] != [2]'), true);
  });

  it('short-circuits && and || even past errors, as CEL logic is commutative', () => {
    assert.equal(run('false && 1 / 0 == 1'), false);
    assert.equal(run('1 / 0 == 1 && false'), false);
    assert.equal(run('1 / 0 == 1 || true'), true);
    assert.equal(runtimeError('1 / 0 == 1 || false'), 'division by zero');
  });

  it('reports integer overflow, division and modulus by zero, and bad indexes at runtime', () => {
    assert.equal(runtimeError('9223372036854775807 + 1 > 0'), 'integer overflow');
    assert.equal(runtimeError('1 % 0 == 0'), 'modulus by zero');
    assert.equal(runtimeError('0u - 1u == 0u'), 'unsigned integer overflow');
    assert.equal(runtimeError('[1][3] == 1'), "index '3' out of range in list size '1'");
    assert.equal(runtimeError('{"a": 1}["b"] == 1'), 'no such key: b');
  });

  it('evaluates the ternary operator and `in` over lists and maps', () => {
    assert.equal(run("2 > 1 ? 'yes' : 'no'"), 'yes');
    assert.equal(run('2 in [1, 2] && !(3 in [1, 2]) && "a" in {"a": 1}'), true);
  });
});

describe('CEL over a schema-typed self', () => {
  const spec = {
    stage: 'Upgrade',
    count: 3,
    ratio: 0.5,
    items: ['a', 'bb'],
    labels: { app: 'x' },
    'seed-image': 'quay.io/seed:1',
    port: 8080,
    timeout: '1h30m',
    since: '2024-05-01T10:00:00Z',
  };

  it('selects fields, indexes lists and maps, and tests presence with has()', () => {
    assert.equal(
      run("self.stage == 'Upgrade' && self.items[1] == 'bb' && self.labels['app'] == 'x'", spec),
      true,
    );
    assert.equal(
      run('self.labels.app == "x" && has(self.labels.app) && !has(self.labels.other)', spec),
      true,
    );
    assert.equal(run('has(self.count) && !has(self.count)', { stage: 'x' }), false);
    assert.equal(run("self.stage != 'Upgrade' || has(self.count)", { stage: 'Upgrade' }), false);
  });

  it('reaches properties whose names are not identifiers through Kubernetes escaping', () => {
    assert.equal(run("self.seed__dash__image.startsWith('quay.io/')", spec), true);
  });

  it('types integer, number, int-or-string, duration and date-time values like Kubernetes', () => {
    assert.equal(run('self.count + 1 == 4 && self.ratio * 2.0 == 1.0', spec), true);
    assert.equal(run('self.port == 8080', spec), true);
    assert.equal(run("self.port == 'http'", { port: 'http' }), true);
    assert.equal(run("self.timeout == duration('90m') && self.timeout > duration('1h')", spec), true);
    assert.equal(
      run("self.since < timestamp('2024-06-01T00:00:00Z') && self.since.getMonth() == 4", spec),
      true,
    );
  });

  it('fails with "no such key" when selecting an absent field', () => {
    assert.equal(runtimeError('self.stage == "x"', {}), 'no such key: stage');
  });

  it('runs the list macros all, exists, exists_one, map and filter', () => {
    assert.equal(run('self.items.all(x, x.size() > 0)', spec), true);
    assert.equal(run('self.items.all(x, x.size() > 1)', spec), false);
    assert.equal(
      run("self.items.exists(x, x == 'bb') && self.items.exists_one(x, x.size() == 1)", spec),
      true,
    );
    assert.equal(run("self.items.map(x, x + '!') == ['a!', 'bb!']", spec), true);
    assert.equal(run('self.items.map(x, x.size() > 1, x) == ["bb"]', spec), true);
    assert.equal(run("self.items.filter(x, x.startsWith('b')) == ['bb']", spec), true);
    assert.equal(run("self.labels.all(k, k == 'app')", spec), true);
  });

  it('absorbs an element error in all() when another element decides the result', () => {
    assert.equal(run('[0, 1].all(x, 1 / x > 5)'), false);
    assert.equal(run('[0, 1].exists(x, 1 / x == 1)'), true);
  });
});

describe('CEL functions', () => {
  it('converts between types with int, uint, double, string, bool, bytes, duration and timestamp', () => {
    assert.equal(run("int('42') == 42 && int(3.9) == 3 && int(-3.9) == -3 && uint(7) == 7u"), true);
    assert.equal(run("double('1.5') == 1.5 && double(2) == 2.0"), true);
    assert.equal(run("string(12) == '12' && string(1.5) == '1.5' && string(1000000.0) == '1e+06'"), true);
    assert.equal(run("string(true) == 'true' && bool('false') == false"), true);
    assert.equal(run("string(duration('1h')) == '3600s' && string(duration('1.5s')) == '1.5s'"), true);
    assert.equal(run("string(timestamp('2024-01-02T03:04:05.5+01:00')) == '2024-01-02T02:04:05.5Z'"), true);
    assert.equal(run("int(timestamp('1970-01-01T00:01:00Z')) == 60"), true);
    assert.equal(run("type(1) == int && type('a') == string && type([]) == list"), true);
    assert.equal(runtimeError("int('abc') == 1"), 'strconv.ParseInt: parsing "abc": invalid syntax');
    assert.equal(runtimeError("duration('soon') == duration('1s')"), 'time: invalid duration "soon"');
  });

  it('offers the Kubernetes string library', () => {
    assert.equal(run("'Hello'.contains('ell') && 'Hello'.startsWith('He') && 'Hello'.endsWith('lo')"), true);
    assert.equal(run("'abc123'.matches('^[a-z]+[0-9]+$') && matches('x', 'x')"), true);
    assert.equal(run("'MiXed'.lowerAscii() == 'mixed' && 'MiXed'.upperAscii() == 'MIXED'"), true);
    assert.equal(run("'  pad  '.trim() == 'pad'"), true);
    assert.equal(run("'a,b,c'.split(',') == ['a', 'b', 'c'] && 'a,b,c'.split(',', 2) == ['a', 'b,c']"), true);
    assert.equal(run("'hello'.substring(1, 3) == 'el' && 'hello'.charAt(1) == 'e'"), true);
    assert.equal(run("'hello'.indexOf('l') == 2 && 'hello'.lastIndexOf('l') == 3"), true);
    assert.equal(run("'aaa'.replace('a', 'b', 2) == 'bba' && ['a', 'b'].join('-') == 'a-b'"), true);
    assert.equal(run("'héllo'.size() == 5"), true);
    assert.equal(
      run("'abc 123 def 45'.findAll('[0-9]+') == ['123', '45'] && 'x1'.find('[0-9]') == '1'"),
      true,
    );
  });

  it('offers list helpers and sets', () => {
    assert.equal(
      run('[1, 2, 3].isSorted() && [3, 1, 2].sum() == 6 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3'),
      true,
    );
    assert.equal(run('[1, 2, 3].indexOf(2) == 1 && [1, 2, 3].slice(1, 3) == [2, 3]'), true);
    assert.equal(
      run(
        'sets.contains([1, 2, 3], [1, 2]) && sets.intersects([1], [1, 5]) && sets.equivalent([1, 2], [2, 1])',
      ),
      true,
    );
  });

  it('supports optionals: .?field, orValue, hasValue, optional.of/none', () => {
    assert.equal(run("self.labels.?app.orValue('none') == 'x'", { labels: { app: 'x' } }), true);
    assert.equal(run("self.labels.?app.orValue('none') == 'none'", { labels: {} }), true);
    assert.equal(
      run('optional.of(1).hasValue() && !optional.none().hasValue() && optional.of(2).value() == 2'),
      true,
    );
  });

  it('reads calendar fields of timestamps, in UTC or a named zone', () => {
    const ts = "timestamp('2024-03-10T23:30:00Z')";
    assert.equal(
      run(`${ts}.getFullYear() == 2024 && ${ts}.getDate() == 10 && ${ts}.getDayOfMonth() == 9`),
      true,
    );
    assert.equal(
      run(`${ts}.getHours() == 23 && ${ts}.getHours('+02:00') == 1 && ${ts}.getDayOfWeek() == 0`),
      true,
    );
    assert.equal(run(`${ts}.getHours('Europe/Berlin') == 0`), true);
    assert.equal(run("duration('90m').getHours() == 1 && duration('90m').getMinutes() == 90"), true);
  });
});

describe('CEL compilation errors', () => {
  it('reports syntax errors with cel-go position and caret', () => {
    assert.equal(
      compileError('self.count >'),
      "ERROR: <input>:1:13: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n" +
        ' | self.count >\n' +
        ' | ............^',
    );
    assert.match(compileError('self.count # 1'), /Syntax error: token recognition error at: '#'/);
  });

  it('reports references to undeclared variables and functions', () => {
    assert.match(compileError('oldSelf == self'), /undeclared reference to 'oldSelf' \(in container ''\)/);
    assert.match(compileError('frobnicate(self)'), /undeclared reference to 'frobnicate'/);
  });

  it('rejects fields the schema does not declare', () => {
    assert.equal(
      compileError('has(self.missing)'),
      "ERROR: <input>:1:9: undefined field 'missing'\n | has(self.missing)\n | ........^",
    );
  });

  it('rejects operators and functions applied to the wrong static types', () => {
    assert.match(
      compileError("self.count == 'three'"),
      /found no matching overload for '_==_' applied to '\(int, string\)'/,
    );
    assert.match(
      compileError("self.count + 'x' == 1"),
      /found no matching overload for '_\+_' applied to '\(int, string\)'/,
    );
    assert.match(
      compileError('self.count.startsWith("a")'),
      /found no matching overload for 'startsWith' applied to 'int\.\(string\)'/,
    );
  });

  it('rejects malformed macro calls', () => {
    assert.match(compileError('self.items.all(1, true)'), /argument must be a simple name/);
    assert.match(compileError('has(self)'), /invalid argument to has\(\) macro/);
  });

  it('leaves dynamic values to runtime checks', () => {
    const declarations = new Map<string, CelType>([['self', T.dyn]]);
    const program = compile('self.anything.goes == 1', declarations);
    assert.equal(program.resultType.kind, 'bool');
    assert.equal(
      celToString(program.evaluate(new Map([['self', jsonToCel({ anything: { goes: 1 } }, undefined)]]))),
      'true',
    );
  });
});
