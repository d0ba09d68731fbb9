import * as assert from 'node:assert/strict';
import { parseBotJson, parseDotEnv, studioCredentialsFromDotEnv } from '../../src/csml/botWorkspace';

describe('botWorkspace', () => {
  describe('parseDotEnv', () => {
    it('reads KEY=VALUE lines, skipping comments and blank lines', () => {
      const text = '# credentials\n\nAPI_KEY=abc\n  API_SECRET = s3cr=t  \n# OTHER=x\n';
      assert.deepEqual(parseDotEnv(text), { API_KEY: 'abc', API_SECRET: 's3cr=t' });
    });

    it('handles CRLF, a BOM and an export prefix', () => {
      assert.deepEqual(parseDotEnv('\uFEFFexport A=1\r\nB=2\r\n\r\nexport\tC=3\r\n'), { A: '1', B: '2', C: '3' });
    });

    it('removes single or double quotes', () => {
      const text = [
        "SINGLE='a b # c'",
        'DOUBLE="x y"',
        'ESCAPED="say \\"hi\\"\\nbye"',
        "RAW='no \\n escape'",
        'AFTER="v" # trailing comment',
        'UNTERMINATED="open',
      ].join('\n');
      assert.deepEqual(parseDotEnv(text), {
        SINGLE: 'a b # c',
        DOUBLE: 'x y',
        ESCAPED: 'say "hi"\nbye',
        RAW: 'no \\n escape',
        AFTER: 'v',
        UNTERMINATED: '"open',
      });
    });

    it('strips inline comments from unquoted values only after whitespace', () => {
      assert.deepEqual(parseDotEnv('A=value # note\nB=val#ue'), { A: 'value', B: 'val#ue' });
    });

    it('does not expand variables', () => {
      assert.deepEqual(parseDotEnv('A=1\nB=$A\nC=${A}'), { A: '1', B: '$A', C: '${A}' });
    });

    it('keeps empty values and lets later keys win', () => {
      assert.deepEqual(parseDotEnv('A=\nB=1\nB=2'), { A: '', B: '2' });
    });

    it('skips lines that are not assignments', () => {
      assert.deepEqual(parseDotEnv('just text\n=nokey\n1BAD=x\nGOOD=y'), { GOOD: 'y' });
    });

    it('stores a __proto__ key as data', () => {
      const env = parseDotEnv('__proto__=x');
      assert.equal(Object.getPrototypeOf(env), Object.prototype);
      assert.equal(Object.getOwnPropertyDescriptor(env, '__proto__')?.value, 'x');
    });
  });

  describe('studioCredentialsFromDotEnv', () => {
    it('returns the trimmed key and secret', () => {
      assert.deepEqual(studioCredentialsFromDotEnv('API_KEY=" key "\nAPI_SECRET=secret\nOTHER=1'), {
        apiKey: 'key',
        apiSecret: 'secret',
      });
    });

    it('returns undefined when either is missing or blank', () => {
      assert.equal(studioCredentialsFromDotEnv('API_KEY=key'), undefined);
      assert.equal(studioCredentialsFromDotEnv('API_SECRET=secret'), undefined);
      assert.equal(studioCredentialsFromDotEnv('API_KEY="  "\nAPI_SECRET=secret'), undefined);
      assert.equal(studioCredentialsFromDotEnv('API_KEY=key\nAPI_SECRET='), undefined);
      assert.equal(studioCredentialsFromDotEnv(''), undefined);
    });
  });

  describe('parseBotJson', () => {
    it('maps the CLI fields', () => {
      const text = JSON.stringify({ name: 'My bot', description: 'Helps', default_flow: 'Default', extra: 1 });
      assert.deepEqual(parseBotJson(text), { name: 'My bot', description: 'Helps', defaultFlow: 'Default' });
    });

    it('accepts a BOM', () => {
      assert.deepEqual(parseBotJson('\uFEFF{"name":"b"}'), { name: 'b' });
    });

    it('ignores fields of the wrong type', () => {
      assert.deepEqual(parseBotJson('{"name": 1, "description": null, "default_flow": ["x"]}'), {});
    });

    it('returns undefined for anything but a JSON object', () => {
      for (const text of ['', 'not json', '[]', 'null', '"text"', '42', '{"name": "x"']) {
        assert.equal(parseBotJson(text), undefined, text);
      }
    });
  });
});
