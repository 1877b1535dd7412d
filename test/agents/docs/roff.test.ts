import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeInline, escapeLiteral, literalBlock, macroArgument, prose, safeLine } from '../../../agents/docs/roff';

test('backslashes become \\e so groff prints them', () => {
  assert.is(escapeInline('a\\b'), 'a\\eb');
});

test('a dash starting a word is a minus sign, a dash inside a word a hyphen', () => {
  assert.is(escapeInline('use --force or -1 on DRBD-replicated disks'), 'use \\-\\-force or \\-1 on DRBD-replicated disks');
  assert.is(escapeInline('(-x) "--y" a=-z'), '(\\-x) "\\-\\-y" a=\\-z');
});

test('literals escape every dash, and escaped dashes only once', () => {
  assert.is(escapeLiteral('validate-all --no-manifest'), 'validate\\-all \\-\\-no\\-manifest');
});

test('non-ASCII characters become \\[uXXXX]', () => {
  assert.is(escapeInline('naïve – ok'), 'na\\[u00EF]ve \\[u2013] ok');
});

test('lines starting with a dot or quote are protected from being read as requests', () => {
  assert.is(safeLine('.dot'), '\\&.dot');
  assert.is(safeLine("'quote"), "\\&'quote");
  assert.is(safeLine('plain .dot'), 'plain .dot');
});

test('macro arguments are quoted and inner quotes become \\(dq', () => {
  assert.is(macroArgument('say "hi"'), '"say \\(dqhi\\(dq"');
});

test('prose: paragraphs split on blank lines, indentation dropped, requests neutralised', () => {
  assert.equal(prose('  first line\n   .second\n\n\nthird\n', '.IP'), ['first line', '\\&.second', '.IP', 'third']);
  assert.equal(prose('\n\nonly\n\n'), ['only']);
});

test('literal blocks keep lines as they are, with empty lines kept visible', () => {
  assert.equal(literalBlock(['pcs resource create x \\', '', '.x --y']), ['.RS 4', '.nf', 'pcs resource create x \\e', '\\&', '\\&.x \\-\\-y', '.fi', '.RE']);
});

test.run();
