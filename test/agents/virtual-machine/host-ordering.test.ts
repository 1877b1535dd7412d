// Host shutdown ordering: the drop-in, when it is rewritten, and libvirt-guests' settings, as
// tables; libvirt-guests' file as Debian 12 ships it (fixture header).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dropInChanged, dropInName, dropInText, libvirtGuestsSettings, libvirtGuestsWarnings } from '../../../agents/virtual-machine/host-ordering';

test("the drop-in orders resource-agents-deps.target after the guests' services", () => {
  assert.is(dropInName('libvirt'), '50-ocfkit-virtual-machine-libvirt.conf');
  assert.is(
    dropInText('libvirt').split('\n').slice(1).join('\n'),
    '[Unit]\nAfter=libvirtd.service virtqemud.service virtxend.service virtlockd.service virtlogd.service systemd-machined.service libvirt-guests.service\n',
  );
  assert.is(dropInText('xl').split('\n').slice(1).join('\n'), '[Unit]\nAfter=xenstored.service xenconsoled.service xendomains.service\n');
  assert.not.match(dropInText('libvirt'), /Wants=/);
});

test('rewritten (and systemd reloaded) only when missing or different', () => {
  const wanted = dropInText('libvirt');
  const table: Array<[string | undefined, boolean]> = [
    [undefined, true],
    [wanted, false],
    [wanted.replace('virtlockd.service ', ''), true],
    ['', true],
  ];
  for (const [existing, changed] of table) assert.is(dropInChanged(existing, wanted), changed, String(existing));
});

test('libvirt-guests settings and warnings', () => {
  const debian = readFileSync('test/fixtures/virtual-machine/libvirt-guests-debian.conf', 'utf8');
  const table: Array<[string | undefined, { onBoot: string; onShutdown: string }, RegExp[]]> = [
    [debian, { onBoot: 'ignore', onShutdown: 'shutdown' }, [/shuts down the running guests at host shutdown \(ON_SHUTDOWN=shutdown/]], // all commented out: the defaults
    [undefined, { onBoot: 'ignore', onShutdown: 'shutdown' }, [/ON_SHUTDOWN=shutdown/]],
    [
      `${debian}\nON_BOOT=start\nON_SHUTDOWN=suspend\n`,
      { onBoot: 'start', onShutdown: 'suspend' },
      [/starts at boot .*ON_BOOT=start in f\); set ON_BOOT=ignore/, /suspends the running guests/],
    ],
    ['ON_BOOT="ignore"\nON_SHUTDOWN="shutdown" # comment\nON_SHUTDOWN=\'suspend\'\n', { onBoot: 'ignore', onShutdown: 'suspend' }, [/ON_SHUTDOWN=suspend/]],
    ['  ON_BOOT=ignore\nON_SHUTDOWN=nothing\n', { onBoot: 'ignore', onShutdown: 'nothing' }, []],
  ];
  for (const [text, settings, warnings] of table) {
    assert.equal(libvirtGuestsSettings(text), settings, String(text).slice(-60));
    const got = libvirtGuestsWarnings(settings, 'f');
    assert.is(got.length, warnings.length, got.join('\n'));
    warnings.forEach((w, i) => assert.match(got[i]!, w));
  }
});

test.run();
