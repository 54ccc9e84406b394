/**
 * Runs the shape service in its own process (options as JSON in argv[2]) so
 * a test can kill it with SIGKILL, as a crash would.
 */
import { startShapeService, type ShapeServiceOptions } from '../../../sync/service/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as ShapeServiceOptions;
const service = await startShapeService(options);
process.stdout.write(`LISTENING ${service.url}\n`);
process.on('SIGTERM', () => void service.stop().then(() => process.exit(0)));
process.on('SIGINT', () => void service.stop().then(() => process.exit(0)));
