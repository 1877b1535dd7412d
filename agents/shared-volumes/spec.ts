// ocf:ocfkit:SharedVolumes: the shared-volume clone. Every node of the cluster runs one instance
// (meta notify=true); it makes the shared volumes visible and active on its node, rediscovers when
// a peer joins, and keeps them active until the guests that use them have stopped.
import { existsSync } from 'node:fs';
import { defineAgent } from '../ocf/spec';
import { start } from './activate';
import { monitor } from './monitor';
import { notify } from './notify';
import { parseConfig } from './config';
import { volumeParameters } from './parameters';
import { markerPath } from './state';
import { stop } from './stop';
import { validate } from './validate';

export const sharedVolumesAgent = defineAgent({
  name: 'SharedVolumes',
  version: '1.0',
  shortdesc: 'Shared volumes active on every node (clone with notify=true)',
  longdesc:
    'Activates shared block volumes on every node of the cluster: lvmlockd shared volume groups, clvmd clustered volume groups, EVMS cluster segments, or plain rescanned devices (multipath, iSCSI, SCSI). ' +
    'Run it as a clone with meta notify=true and order it before the VirtualMachine resources. Start runs the discovery steps and the activation, retrying with jittered backoff within the start timeout, then verifies. ' +
    'When another node starts its instance (it joined or rejoined), every other node rescans so that volumes created meanwhile become visible. ' +
    'Monitor fails, naming the volume, when an expected volume is not active here or its device node is missing. Stop deactivates, but refuses while a volume is open.',
  parameters: volumeParameters,
  actions: {
    start: { timeout: 120, handler: (ctx) => start(ctx) },
    stop: { timeout: 120, handler: stop },
    monitor: { timeout: 30, interval: 20, handler: monitor },
    notify: { timeout: 90, handler: notify },
    'validate-all': { timeout: 30, handler: async () => undefined },
  },
  configure: parseConfig,
  validate,
  // Broken parameters or missing tools: without the marker, this node never started the clone.
  stateWhenBroken: async ({ raw, env }) => {
    const dir = raw.state_dir || volumeParameters.state_dir.default;
    // With the marker, volumes may be active and open here: nobody can prove they are not.
    return existsSync(markerPath(dir, env.instance)) ? 'unknown' : 'stopped';
  },
  examples: [
    {
      title: 'pcs: lvmlockd shared VG as a clone, before the guests',
      lines: [
        'pcs resource create volumes ocf:ocfkit:SharedVolumes backend=lvmlockd volumes=vg_san discovery="multipath pvscan" clone notify=true interleave=true',
        'pcs constraint order start volumes-clone then start vm1',
      ],
    },
    {
      title: 'crmsh: the same',
      lines: [
        'crm configure primitive volumes ocf:ocfkit:SharedVolumes params backend=lvmlockd volumes=vg_san discovery="multipath pvscan" op monitor interval=20s timeout=30s',
        'crm configure clone volumes-clone volumes meta notify=true interleave=true',
        'crm configure order volumes-before-vm1 Mandatory: volumes-clone vm1',
      ],
    },
  ],
});
