// The reconnect decision as a table of evidence sequences, one per row: kernel log lines as each DRBD
// version prints them -> parser -> episode -> policy -> verdict. Every line is built from DRBD's own
// format strings (never paraphrased):
//   prefixes      8.0-8.3.1 drbd_int.h  ERR/INFO: DEVICE_NAME "%d: "                  -> "drbd0: "
//                 8.3.2-8.4 dev_printk on the gendisk                                   -> "block drbd0: "
//                 8.4.0-8.4.3 conn_printk "d-con %s: ", 8.4.4+ "drbd %s: "
//                 9 drbd_printk: "drbd %s: ", "drbd %s %s: ", "drbd %s/%u drbd%u: ", "drbd %s/%u drbd%u %s: "
//   state change  drbd_main.c/drbd_state.c (8.0-8.4) "conn( %s -> %s ) " (trailing space kept);
//                 9 drbd_state.c print_state_change() "%s%s" with prefix "" or "Failed: ", no trailing
//                 space; 9.2 appends the cause tag " [%s]" (real: LINBIT/drbd issue 106
//                 "conn( NetworkFailure -> Unconnected ) [disconnected]")
//   causes        drbd_receiver.c: 8.x drbd_try_connect "%s failed, err = %d" ("bind before connect"),
//                 "Split-Brain detected, dropping connection!" (8.0-8.3), "Split-Brain detected but
//                 unresolved, dropping connection!" (8.3.x-9), "Unrelated data, aborting!",
//                 "incompatible after-sb-0pri settings"; drbd_nl.c helper: "helper command: %s %s %s"
//                 (8.x "/sbin/drbdadm split-brain minor-0"; 9.2 peer device "/sbin/drbdadm split-brain",
//                 real: LINBIT/drbd issue 58); 9 conn_connect "Failed to initiate connection, err=%d"
//                 (before 9.0.16), "Configured local address not found, retrying every %d sec, err=%d"
//                 (9.0.16+), "No destination address, err=%d" (9.2, then change_cstate_tag(...,
//                 "no-dest-addr")); 9 "before-resync-target handler returned %d, dropping connection."
// The cases are marked [case N]: 1 log lost (wrap, dmesg -C, rotation, dmesg failing), 2 9.0.16+
// address missing then admin disconnect, 3 helper call as the only split-brain evidence, 4 8.0-8.3.1
// prefix, 5 host named drbd, 6 events2 (not evidence any more, see parse-events2.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decide, describeVerdict, type BaselineEntry, type LogEvidence } from '../../../agents/drbd/policy';
import { episodeEvidence, parseKernelLog } from '../../../agents/drbd/parse-kernel-log';
import { fixture } from './fixtures';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const BOOT = NOW - 3_600_000;
const t = (sec: number) => BOOT + sec * 1000;
/** a dmesg line: "[ seconds.micro] " then the message */
const d = (sec: number, line: string) => `[${sec.toFixed(6).padStart(12)}] ${line}`;
/** a journalctl -k -o short-iso-precise line */
const j = (sec: number, line: string) => `${new Date(t(sec)).toISOString().replace('Z', '000+00:00')} alice kernel: ${line}`;
const up = (sec: number): BaselineEntry => ({ state: 'up', at: t(sec) });

interface Row {
  version: string;
  resource: string;
  /** 9: the connection's peer; 8.x: undefined (one connection per resource) */
  peer?: string;
  state?: string;
  /** per source: its lines; 'unreadable' = no source could be read */
  logs: Record<string, string[]> | 'unreadable';
  baseline?: BaselineEntry;
  marker?: boolean;
  expect: string;
}

const minors = new Map([
  [0, 'r0'],
  [1, 'r1'],
  [2, 'r2'],
]);
const peers9 = new Map([['r0', ['bob', 'carol', '10.1.1.32:7789']]]);

// 8.4 network failure as the kernel logs it: link lost, retry, bind fails, DRBD gives up
const lost84 = (p: string, dev: string, s: number) => [
  d(s, `${p} PingAck did not arrive in time.`),
  d(s, `${dev} peer( Secondary -> Unknown ) conn( Connected -> NetworkFailure ) pdsk( UpToDate -> DUnknown ) `),
  d(s + 0.01, `${p} conn( NetworkFailure -> Unconnected ) `),
  d(s + 0.02, `${p} conn( Unconnected -> WFConnection ) `),
  d(s + 0.03, `${p} bind before connect failed, err = -99`),
  d(s + 0.03, `${p} conn( WFConnection -> Disconnecting ) `),
  d(s + 0.2, `${p} Discarding network configuration.`),
  d(s + 0.2, `${p} Connection closed`),
  d(s + 0.2, `${p} conn( Disconnecting -> StandAlone ) `),
];
const lost90 = (c: string, s: number) => [
  d(s, `${c} conn( Connected -> NetworkFailure ) peer( Secondary -> Unknown )`),
  d(s + 0.01, `${c} conn( NetworkFailure -> Unconnected )`),
  d(s + 0.02, `${c} conn( Unconnected -> Connecting )`),
  d(s + 0.03, `${c} Failed to initiate connection, err=-99`),
  d(s + 0.03, `${c} conn( Connecting -> Disconnecting )`),
  d(s + 0.05, `${c} conn( Disconnecting -> StandAlone )`),
];
const splitBrain84 = (p: string, dev: string, minor: number, s: number) => [
  d(s, `${p} conn( StandAlone -> Unconnected ) `),
  d(s + 0.1, `${p} Handshake successful: Agreed network protocol version 101`),
  d(s + 0.1, `${dev} helper command: /sbin/drbdadm initial-split-brain minor-${minor}`),
  d(s + 0.1, `${dev} Split-Brain detected but unresolved, dropping connection!`),
  d(s + 0.1, `${dev} helper command: /sbin/drbdadm split-brain minor-${minor}`),
  d(s + 0.1, `${p} conn( WFReportParams -> Disconnecting ) `),
  d(s + 0.2, `${p} conn( Disconnecting -> StandAlone ) `),
];
const boot = [d(0.5, 'Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org)'), d(4.1, 'drbd: initialized. Version: 8.4.11 (api:1/proto:86-101)')];
const unrelatedLater = [d(2000, 'e1000e 0000:00:19.0 eth1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx')];

const table: Array<[string, Row]> = [
  // --- 8.0 - 8.3.1: "drbdN: " [case 4]
  [
    '8.0: bind fails after the link is lost -> network',
    {
      version: '8.0',
      resource: 'r0',
      logs: {
        dmesg: [
          ...boot,
          d(1000, 'drbd0: conn( Connected -> NetworkFailure ) pdsk( UpToDate -> DUnknown ) '),
          d(1000.1, 'drbd0: conn( NetworkFailure -> Unconnected ) '),
          d(1000.2, 'drbd0: conn( Unconnected -> WFConnection ) '),
          d(1000.3, 'drbd0: bind before connect failed, err = -99'),
          d(1000.3, 'drbd0: conn( WFConnection -> Disconnecting ) '),
          d(1000.4, 'drbd0: Discarding network configuration.'),
          d(1000.4, 'drbd0: conn( Disconnecting -> StandAlone ) '),
        ],
      },
      baseline: up(900),
      expect: 'reconnect',
    },
  ],
  [
    '8.0: split brain [case 4]',
    {
      version: '8.0',
      resource: 'r0',
      logs: {
        dmesg: [
          ...boot,
          d(1000, 'drbd0: conn( StandAlone -> Unconnected ) '),
          d(1000.1, 'drbd0: conn( WFConnection -> WFReportParams ) '),
          d(1000.2, 'drbd0: Split-Brain detected, dropping connection!'),
          d(1000.2, 'drbd0: conn( WFReportParams -> Disconnecting ) '),
          d(1000.3, 'drbd0: conn( Disconnecting -> StandAlone ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '8.2: admin disconnect (no cause before Disconnecting)',
    {
      version: '8.2',
      resource: 'r1',
      logs: {
        dmesg: [
          ...boot,
          d(1000, 'drbd1: conn( Connected -> Disconnecting ) pdsk( UpToDate -> DUnknown ) '),
          d(1000.1, 'drbd1: conn( Disconnecting -> StandAlone ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (admin-disconnect)',
    },
  ],
  [
    '8.3.1: only the helper call shows the split brain [case 3, 4]',
    {
      version: '8.3.1',
      resource: 'r0',
      logs: {
        dmesg: [
          ...boot,
          d(1000, 'drbd0: conn( StandAlone -> Unconnected ) '),
          d(1000.2, 'drbd0: helper command: /sbin/drbdadm split-brain minor-0'),
          d(1000.2, 'drbd0: conn( WFReportParams -> Disconnecting ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '8.3.3 real kern.log: bind fails at boot -> network (fixture)',
    { version: '8.3.3', resource: 'r1', logs: { 'file kern.log': fixture('kmsg-8.3.3-syslog.txt').split('\n') }, expect: 'reconnect' },
  ],
  [
    "8.3: syslog of a host named drbd: the split brain is drbd1's [case 5]",
    {
      version: '8.3',
      resource: 'r1',
      logs: {
        'file kern.log': [
          'Nov 21 10:59:00 drbd kernel: [ 1000.000000] block drbd1: conn( StandAlone -> Unconnected ) ',
          'Nov 21 10:59:00 drbd kernel: [ 1000.100000] block drbd1: Split-Brain detected, dropping connection!',
          'Nov 21 10:59:00 drbd kernel: [ 1000.100000] block drbd1: conn( WFReportParams -> Disconnecting ) ',
          'Nov 21 10:59:01 drbd drbdadm[812]: kernel: bind before connect failed, err = -99',
        ],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '8.4: journalctl -o short-monotonic of a host named drbd [case 5]',
    {
      version: '8.4.11',
      resource: 'r2',
      logs: {
        'journalctl -k': [
          '[ 1000.000000] drbd kernel: drbd r2: conn( StandAlone -> Unconnected ) ',
          '[ 1000.100000] drbd kernel: block drbd2: Split-Brain detected but unresolved, dropping connection!',
          '[ 1000.100000] drbd kernel: drbd r2: conn( WFReportParams -> Disconnecting ) ',
        ],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '8.3: dmesg -C after the split brain, was up before [case 1]',
    { version: '8.3', resource: 'r0', logs: { dmesg: unrelatedLater }, baseline: up(900), expect: 'leave (no-network-cause)' },
  ],

  // --- 8.4
  [
    '8.4.0-8.4.3 "d-con": network',
    { version: '8.4.3', resource: 'r0', logs: { dmesg: [...boot, ...lost84('d-con r0:', 'block drbd0:', 1000)] }, baseline: up(900), expect: 'reconnect' },
  ],
  [
    '8.4.4+ "drbd r0:": network',
    { version: '8.4.11', resource: 'r0', logs: { dmesg: [...boot, ...lost84('drbd r0:', 'block drbd0:', 1000)] }, baseline: up(900), expect: 'reconnect' },
  ],
  [
    '8.4: network, never seen up by ocfkit, the log shows the episode start',
    { version: '8.4.11', resource: 'r0', logs: { dmesg: [...boot, ...lost84('drbd r0:', 'block drbd0:', 1000)] }, expect: 'reconnect' },
  ],
  [
    '8.4: split brain',
    {
      version: '8.4.11',
      resource: 'r2',
      logs: { dmesg: [...boot, ...splitBrain84('drbd r2:', 'block drbd2:', 2, 1000)] },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '8.4: split brain, then dmesg -C on both nodes [case 1]',
    { version: '8.4.11', resource: 'r2', logs: { dmesg: unrelatedLater }, baseline: up(900), expect: 'leave (no-network-cause)' },
  ],
  [
    '8.4: admin drbdadm disconnect',
    {
      version: '8.4.11',
      resource: 'r1',
      logs: {
        dmesg: [
          ...boot,
          d(1000, 'drbd r1: conn( Connected -> Disconnecting ) pdsk( UpToDate -> DUnknown ) '),
          d(1000.1, 'drbd r1: Connection closed'),
          d(1000.1, 'drbd r1: conn( Disconnecting -> StandAlone ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (admin-disconnect)',
    },
  ],
  [
    '8.4: the admin disconnect wrapped out of the ring buffer [case 1]',
    {
      version: '8.4.11',
      resource: 'r1',
      logs: { dmesg: [d(3000, 'drbd r0: conn( WFConnection -> WFReportParams ) ')] },
      baseline: up(900),
      expect: 'leave (no-network-cause)',
    },
  ],
  ['8.4: dmesg fails, no journal [case 1]', { version: '8.4.11', resource: 'r0', logs: 'unreadable', baseline: up(900), expect: 'leave (log-unreadable)' }],
  [
    '8.4: unrelated data',
    {
      version: '8.4.11',
      resource: 'r1',
      logs: {
        dmesg: [
          d(1000, 'drbd r1: conn( StandAlone -> Unconnected ) '),
          d(1000.1, 'block drbd1: Unrelated data, aborting!'),
          d(1000.1, 'drbd r1: conn( WFReportParams -> Disconnecting ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (unrelated-data)',
    },
  ],
  [
    '8.4: incompatible settings',
    {
      version: '8.4.11',
      resource: 'r1',
      logs: {
        dmesg: [
          d(1000, 'drbd r1: conn( StandAlone -> Unconnected ) '),
          d(1000.1, 'drbd r1: incompatible after-sb-0pri settings'),
          d(1000.1, 'drbd r1: conn( WFReportParams -> Disconnecting ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (incompatible)',
    },
  ],
  [
    '8.4: a network line, then a split brain in the same episode: the later deliberate cause wins',
    {
      version: '8.4.11',
      resource: 'r0',
      logs: {
        dmesg: [
          d(1000, 'drbd r0: conn( StandAlone -> Unconnected ) '),
          d(1000.05, 'drbd r0: bind before connect failed, err = -99'),
          d(1000.1, 'block drbd0: Split-Brain detected but unresolved, dropping connection!'),
          d(1000.1, 'drbd r0: conn( WFReportParams -> Disconnecting ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '8.4: rotated log: network cause, no episode start, log begins after last seen up',
    {
      version: '8.4.11',
      resource: 'r0',
      logs: {
        'journalctl -k': [
          j(1000, 'drbd r0: bind before connect failed, err = -99'),
          j(1000, 'drbd r0: conn( WFConnection -> Disconnecting ) '),
          j(1000.1, 'drbd r0: conn( Disconnecting -> StandAlone ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (log-incomplete)',
    },
  ],
  [
    '8.4: journal reaches back to the last time seen up (WFConnection since long)',
    {
      version: '8.4.11',
      resource: 'r0',
      logs: {
        'journalctl -k': [
          j(800, 'e1000e 0000:00:19.0 eth1: NIC Link is Down'),
          j(1000, 'drbd r0: bind before connect failed, err = -99'),
          j(1000, 'drbd r0: conn( WFConnection -> Disconnecting ) '),
          j(1000.1, 'drbd r0: conn( Disconnecting -> StandAlone ) '),
        ],
      },
      baseline: up(900),
      expect: 'reconnect',
    },
  ],
  [
    '8.4: Disconnecting is not "retrying"',
    { version: '8.4.11', resource: 'r0', state: 'Disconnecting', logs: { dmesg: [] }, baseline: up(900), expect: 'disconnecting' },
  ],
  [
    '8.4: a split brain, then the admin connected, then a network failure: a new episode',
    {
      version: '8.4.11',
      resource: 'r2',
      logs: {
        dmesg: [
          ...splitBrain84('drbd r2:', 'block drbd2:', 2, 500),
          d(600, 'drbd r2: conn( StandAlone -> Unconnected ) '),
          d(601, 'block drbd2: conn( WFReportParams -> Connected ) pdsk( DUnknown -> UpToDate ) '),
          ...lost84('drbd r2:', 'block drbd2:', 1000),
        ],
      },
      baseline: up(900),
      expect: 'reconnect',
    },
  ],
  [
    '8.4: a network cause that was followed by Connected is void',
    {
      version: '8.4.11',
      resource: 'r0',
      logs: {
        dmesg: [
          ...lost84('drbd r0:', 'block drbd0:', 500),
          d(600, 'drbd r0: conn( StandAlone -> Unconnected ) '),
          d(601, 'block drbd0: conn( WFReportParams -> Connected ) pdsk( DUnknown -> UpToDate ) '),
        ],
      },
      baseline: up(900),
      expect: 'leave (no-network-cause)',
    },
  ],
  [
    "8.4: the only network cause is older than the last time seen up (this episode's lines are missing from the log)",
    { version: '8.4.11', resource: 'r0', logs: { dmesg: lost84('drbd r0:', 'block drbd0:', 500) }, baseline: up(900), expect: 'leave (log-incomplete)' },
  ],
  [
    '8.4: split-brain marker of the handler beats a network line',
    {
      version: '8.4.11',
      resource: 'r0',
      logs: { dmesg: lost84('drbd r0:', 'block drbd0:', 1000) },
      marker: true,
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],

  // --- 9.0 before 9.0.16
  [
    '9.0.15: Failed to initiate connection -> network',
    { version: '9.0.15', resource: 'r0', peer: 'bob', logs: { dmesg: lost90('drbd r0 bob:', 1000) }, baseline: up(900), expect: 'reconnect' },
  ],
  [
    "9.0: per peer: carol's split brain does not touch bob",
    {
      version: '9.0.15',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [
          ...lost90('drbd r0 bob:', 1000),
          d(1001, 'drbd r0 carol: conn( StandAlone -> Connecting )'),
          d(1001.1, 'drbd r0/0 drbd1 carol: Split-Brain detected but unresolved, dropping connection!'),
          d(1001.1, 'drbd r0 carol: conn( Connecting -> Disconnecting )'),
        ],
      },
      baseline: up(900),
      expect: 'reconnect',
    },
  ],
  [
    '9.0: ... and carol stays',
    {
      version: '9.0.15',
      resource: 'r0',
      peer: 'carol',
      logs: {
        dmesg: [
          ...lost90('drbd r0 bob:', 1000),
          d(1001, 'drbd r0 carol: conn( StandAlone -> Connecting )'),
          d(1001.1, 'drbd r0/0 drbd1 carol: Split-Brain detected but unresolved, dropping connection!'),
          d(1001.1, 'drbd r0 carol: conn( Connecting -> Disconnecting )'),
        ],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '9.0: before-resync-target handler refused',
    {
      version: '9.0.22',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [
          d(1000, 'drbd r0 bob: conn( StandAlone -> Connecting )'),
          d(1000.2, 'drbd r0/0 drbd1 bob: helper command: /sbin/drbdadm before-resync-target'),
          d(1000.3, 'drbd r0/0 drbd1: before-resync-target handler returned 1, dropping connection.'),
          d(1000.3, 'drbd r0 bob: conn( Connected -> Disconnecting ) peer( Secondary -> Unknown )'),
        ],
      },
      baseline: up(900),
      expect: 'leave (refused)',
    },
  ],

  // --- 9.0.16 and later: DRBD retries a missing local address by itself
  [
    '9.0.16+: address missing, then the admin disconnects the peer [case 2]',
    {
      version: '9.0.16',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [
          d(1000, 'drbd r0 bob: conn( Connected -> NetworkFailure ) peer( Secondary -> Unknown )'),
          d(1000.1, 'drbd r0 bob: conn( NetworkFailure -> Unconnected )'),
          d(1000.2, 'drbd r0 bob: conn( Unconnected -> Connecting )'),
          d(1000.2, 'drbd r0 bob: Configured local address not found, retrying every 10 sec, err=-99'),
          d(1300, 'drbd r0 bob: conn( Connecting -> Disconnecting )'),
          d(1300.1, 'drbd r0 bob: conn( Disconnecting -> StandAlone )'),
        ],
      },
      baseline: up(1200),
      expect: 'leave (admin-disconnect)',
    },
  ],
  [
    '9.0.16+: address missing, still Connecting: DRBD retries',
    {
      version: '9.1.7',
      resource: 'r0',
      peer: 'bob',
      state: 'Connecting',
      logs: { dmesg: [d(1000.2, 'drbd r0 bob: Configured local address not found, retrying every 10 sec, err=-99')] },
      baseline: up(1200),
      expect: 'retrying',
    },
  ],

  // --- 9.1
  [
    '9.1: a floating peer named "10.1.1.32:7789"',
    {
      version: '9.1.7',
      resource: 'r0',
      peer: '10.1.1.32:7789',
      logs: { dmesg: [...lost90('drbd r0 10.1.1.32:7789:', 1000), d(1001, 'drbd r0 bob: conn( Connected -> Disconnecting )')] },
      baseline: up(900),
      expect: 'reconnect',
    },
  ],
  [
    '9.1: a failed state change ("Failed: conn( StandAlone -> Connecting )") does not open an episode',
    {
      version: '9.1.7',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [
          d(1000, 'drbd r0 bob: conn( Connected -> Disconnecting ) peer( Secondary -> Unknown )'),
          d(1000.1, 'drbd r0 bob: conn( Disconnecting -> StandAlone )'),
          d(1100, 'drbd r0: State change failed: Need access to UpToDate data'),
          d(1100, 'drbd r0 bob: Failed: conn( StandAlone -> Connecting )'),
        ],
      },
      baseline: up(900),
      expect: 'leave (admin-disconnect)',
    },
  ],
  [
    '9.1: admin disconnect, then dmesg -C [case 1]',
    { version: '9.1.7', resource: 'r0', peer: 'bob', logs: { dmesg: [] }, baseline: up(900), expect: 'leave (no-network-cause)' },
  ],

  // --- 9.2: cause tags
  [
    '9.2: [disconnect]',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [
          d(1000, 'drbd r0 bob: conn( Connected -> Disconnecting ) peer( Secondary -> Unknown ) [disconnect]'),
          d(1000.1, 'drbd r0 bob: conn( Disconnecting -> StandAlone ) [disconnect]'),
        ],
      },
      baseline: up(900),
      expect: 'leave (admin-disconnect)',
    },
  ],
  [
    '9.2: [del-peer]',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      logs: { dmesg: [d(1000, 'drbd r0 bob: conn( Connected -> Disconnecting ) peer( Secondary -> Unknown ) [del-peer]')] },
      baseline: up(900),
      expect: 'leave (admin-disconnect)',
    },
  ],
  [
    '9.2: [down]',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      logs: { dmesg: [d(1000, 'drbd r0 bob: conn( Connected -> Disconnecting ) peer( Secondary -> Unknown ) [down]')] },
      baseline: up(900),
      expect: 'leave (admin-disconnect)',
    },
  ],
  [
    '9.2: [connect-failed] after "Failed to initiate connection"',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [
          d(1000, 'drbd r0 bob: conn( Connected -> NetworkFailure ) peer( Secondary -> Unknown )'),
          d(1000.1, 'drbd r0 bob: conn( NetworkFailure -> Unconnected ) [disconnected]'),
          d(1000.2, 'drbd r0 bob: conn( Unconnected -> Connecting ) [connecting]'),
          d(1000.3, 'drbd r0 bob: Failed to initiate connection, err=-98'),
          d(1000.3, 'drbd r0 bob: conn( Connecting -> Disconnecting ) [connect-failed]'),
        ],
      },
      baseline: up(900),
      expect: 'reconnect',
    },
  ],
  [
    '9.2: [receive-disconnect]: the peer refused',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [d(1000, 'drbd r0 bob: conn( StandAlone -> Connecting )'), d(1000.3, 'drbd r0 bob: conn( Connecting -> Disconnecting ) [receive-disconnect]')],
      },
      baseline: up(900),
      expect: 'leave (refused)',
    },
  ],
  [
    '9.2: [no-dest-addr]',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      logs: {
        dmesg: [
          d(1000, 'drbd r0 bob: conn( StandAlone -> Connecting )'),
          d(1000.1, 'drbd r0 bob: No destination address, err=-89'),
          d(1000.1, 'drbd r0 bob: conn( Connecting -> StandAlone ) [no-dest-addr]'),
        ],
      },
      baseline: up(900),
      expect: 'leave (no-destination)',
    },
  ],
  [
    '9.2: a "[disconnected]" tag on the way to Connecting is no cause: still retrying',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      state: 'Connecting',
      logs: {
        dmesg: [
          d(1000.1, 'drbd r0 bob: conn( NetworkFailure -> Unconnected ) [disconnected]'),
          d(1000.2, 'drbd r0 bob: conn( Unconnected -> Connecting ) [connecting]'),
        ],
      },
      baseline: up(900),
      expect: 'retrying',
    },
  ],
  [
    '9.2: only the helper call, on the peer device [case 3]',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'carol',
      logs: {
        dmesg: [
          d(1000, 'drbd r0 carol: conn( StandAlone -> Connecting )'),
          d(1000.2, 'drbd r0/0 drbd1 carol: helper command: /sbin/drbdadm split-brain'),
          d(1000.2, 'drbd r0 carol: conn( Connecting -> Disconnecting )'),
        ],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '9.2: journal keeps the split brain that dmesg -C removed [case 1]',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'carol',
      logs: {
        'journalctl -k': [
          j(1000, 'drbd r0 carol: conn( StandAlone -> Connecting )'),
          j(1000.2, 'drbd r0/0 drbd1 carol: Split-Brain detected but unresolved, dropping connection!'),
          j(1000.2, 'drbd r0 carol: conn( Connecting -> Disconnecting )'),
        ],
        dmesg: [],
      },
      baseline: up(900),
      expect: 'leave (split-brain)',
    },
  ],
  [
    '9.2: dmesg has the newest lines the journal has not read yet',
    {
      version: '9.2.8',
      resource: 'r0',
      peer: 'bob',
      logs: { 'journalctl -k': [j(10, 'drbd: loading out-of-tree module taints kernel.')], dmesg: lost90('drbd r0 bob:', 1000) },
      baseline: up(900),
      expect: 'reconnect',
    },
  ],
];

const evidence = suite('reconnect evidence table');
for (const [name, row] of table) {
  evidence(`${row.version}: ${name}`, () => {
    const kernelLogs: LogEvidence[] =
      row.logs === 'unreadable'
        ? []
        : Object.entries(row.logs).map(([source, lines]) => {
            const log = parseKernelLog(lines.join('\n') + '\n', source, { peers: peers9, bootTime: BOOT, now: NOW });
            return { source, firstAt: log.firstAt, ...episodeEvidence(log.events, row.resource, row.peer, minors) };
          });
    const verdict = decide({
      now: NOW,
      state: row.state ?? 'StandAlone',
      kernelLogs,
      baseline: row.baseline,
      localAddressPresent: true,
      splitBrainMarker: row.marker ? { resource: row.resource, at: NOW - 60_000 } : undefined,
    });
    assert.is(describeVerdict(verdict), row.expect, verdict.why);
    // the verdict names its evidence in one line
    assert.not.match(verdict.why, /\n/);
    if (verdict.action === 'reconnect') assert.match(verdict.why, /^network cause ".+" \(.+, \d{4}-\d\d-\d\dT/);
  });
}
evidence('the table covers at least 30 sequences over 8.0-8.3, 8.4, 9.0 before/after 9.0.16, 9.1, 9.2', () => {
  assert.ok(table.length >= 30, String(table.length));
  for (const v of ['8.0', '8.3', '8.4', '9.0.15', '9.0.16', '9.1', '9.2'])
    assert.ok(
      table.some(([, r]) => r.version.startsWith(v)),
      v,
    );
});
evidence.run();
