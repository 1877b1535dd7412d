// The graceful stop's decisions as tables: shutdown_mode per backend, the wait before destroy,
// and which xl guests have an ACPI power button.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gracefulWaitMs, parseShutdownMode, xlIsHvm } from '../../../agents/virtual-machine/shutdown';
import { parseXlConfig } from '../../../agents/virtual-machine/xl-config';

test('shutdown_mode words per backend', () => {
  const table: Array<[string, 'libvirt' | 'xl', string[] | RegExp]> = [
    ['acpi', 'libvirt', ['acpi']],
    ['acpi,agent', 'libvirt', ['acpi', 'agent']],
    ['agent, initctl signal,paravirt', 'libvirt', ['agent', 'initctl', 'signal', 'paravirt']],
    ['acpi,acpi', 'libvirt', ['acpi']],
    ['paravirt,acpi', 'xl', ['paravirt', 'acpi']],
    ['acpi', 'xl', ['acpi']],
    ['agent', 'xl', /"agent" is not a mode of backend=xl \(paravirt, acpi\)/],
    ['power', 'libvirt', /"power" is not a mode of backend=libvirt \(acpi, agent, initctl, signal, paravirt\)/],
    [' , ', 'libvirt', /names no mode/],
  ];
  for (const [text, backend, expected] of table) {
    const parsed = parseShutdownMode(text, backend);
    if (Array.isArray(expected)) assert.equal(parsed, { ok: true, modes: expected }, text);
    else {
      assert.is(parsed.ok, false, text);
      if (!parsed.ok) assert.match(parsed.reason, expected);
    }
  }
});

test('the wait before destroy: shutdown_timeout, cut to what the stop timeout leaves', () => {
  // [stop timeout, remaining, shutdown_timeout s] -> [wait, capped]
  const table: Array<[number, number, number | undefined, number, boolean]> = [
    [90000, 85000, undefined, 67000, false], // derived: remaining minus a fifth of the timeout
    [20000, 19000, undefined, 14000, false], // at least 5 s kept for destroy
    [90000, 85000, 30, 30000, false],
    [90000, 85000, 67, 67000, false],
    [90000, 85000, 68, 67000, true],
    [7000, 6000, 1, 1000, false],
    [4000, 3000, 10, 0, true], // nothing left: straight to destroy
  ];
  for (const [timeout, remaining, shutdownTimeout, wait, capped] of table) {
    const got = gracefulWaitMs(timeout, remaining, shutdownTimeout);
    assert.equal([got.waitMs, got.capped], [wait, capped], `${timeout}/${remaining}/${shutdownTimeout}`);
  }
});

test('xl guests with an ACPI power button: type or builder "hvm"', () => {
  const table: Array<[string, boolean]> = [
    ['type = "hvm"\n', true],
    ["type='HVM'\n", true],
    ['builder = "hvm"\n', true],
    ['type = "pvh"\n', false],
    ['type = "pv"\n', false],
    ['name = "web"\n', false],
  ];
  for (const [text, hvm] of table) assert.is(xlIsHvm(parseXlConfig(text)), hvm, text);
});

test.run();
