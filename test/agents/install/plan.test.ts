import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installPlan, staged } from '../../../agents/install/plan';

test('absolute symlinks by default', () => {
  const plan = installPlan({ prefix: '/usr', ocfRoot: '/usr/lib/ocf', destdir: '' }, ['A']);
  assert.equal(plan, [
    { kind: 'executable', path: '/usr/sbin/ocfkit' },
    { kind: 'symlink', path: '/usr/lib/ocf/resource.d/ocfkit/A', target: '/usr/sbin/ocfkit' },
  ]);
});

test('relative symlinks for packages resolve to the executable', () => {
  const plan = installPlan({ prefix: '/usr', ocfRoot: '/usr/lib/ocf', destdir: '/stage', relativeLinks: true }, ['A', 'B']);
  assert.equal(plan.slice(1), [
    { kind: 'symlink', path: '/usr/lib/ocf/resource.d/ocfkit/A', target: '../../../../sbin/ocfkit' },
    { kind: 'symlink', path: '/usr/lib/ocf/resource.d/ocfkit/B', target: '../../../../sbin/ocfkit' },
  ]);
  assert.is(staged('/stage', plan[1]!.path), '/stage/usr/lib/ocf/resource.d/ocfkit/A');
});

test('relative paths are refused', () => {
  assert.throws(() => installPlan({ prefix: 'usr', ocfRoot: '/usr/lib/ocf', destdir: '' }, []), /--prefix must be an absolute path/);
});

test.run();
