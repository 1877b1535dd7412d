import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unifiedDiff } from '../../../rules/udev/diff';

test('identical texts have no diff', () => {
  assert.is(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), '');
});

test('a changed line with three lines of context, like diff -u', () => {
  const a = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n') + '\n';
  const b = a.replace('5\n', 'five\n');
  assert.fixture(unifiedDiff(a, b, 'old', 'new'), '--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
});

test('far-apart changes make separate hunks; from and to empty', () => {
  const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
  const b = a.replace('l1\n', '').replace('l18\n', 'l18\nnew\n');
  assert.fixture(unifiedDiff(a, b, 'a', 'b'), '--- a\n+++ b\n@@ -1,5 +1,4 @@\n l0\n-l1\n l2\n l3\n l4\n@@ -17,4 +16,5 @@\n l16\n l17\n l18\n+new\n l19\n');
  assert.is(unifiedDiff('', 'x\n', 'a', 'b'), '--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
  assert.is(unifiedDiff('x\n', '', 'a', 'b'), '--- a\n+++ b\n@@ -1,1 +0,0 @@\n-x\n');
});

test.run();
