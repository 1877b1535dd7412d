// Entry of the test-only agent bundle (see test/support/test-agent-build.ts).
import { runAgentProcess } from '../../agents/ocf/process';
import { testResource } from './test-resource';

runAgentProcess(testResource, process.argv.slice(2)).then((code) => process.exit(code));
