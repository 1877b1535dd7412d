// The cluster lab's links between the guests are qemu UDP socket netdevs through a relay on the
// host: unlike the base lab's TCP socket pair, a node that is powered off and booted again (fencing,
// a power cut) simply resumes sending, and the host can cut a link (a partition) by dropping frames.
import dgram from 'node:dgram';

export class Link {
  cut = false;
  dropped = 0;
  private readonly sides: dgram.Socket[] = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
  private readonly guestPorts: number[];

  private constructor(
    readonly name: string,
    private readonly relayPorts: number[],
    guestPorts: number[],
  ) {
    this.guestPorts = guestPorts;
  }

  /** A relay between two guests; `netdev(i)` is the qemu -netdev option string for guest i. */
  static async open(name: string, freePort: () => Promise<number>): Promise<Link> {
    const ports = new Set<number>();
    while (ports.size < 4) ports.add(await freePort());
    const [r0, r1, g0, g1] = [...ports];
    const link = new Link(name, [r0!, r1!], [g0!, g1!]);
    await Promise.all(
      link.sides.map(
        (socket, index) =>
          new Promise<void>((resolve, reject) => {
            socket.once('error', reject);
            socket.bind(link.relayPorts[index], '127.0.0.1', () => resolve());
          }),
      ),
    );
    link.sides.forEach((socket, index) => {
      const other = 1 - index;
      socket.on('message', (frame) => {
        if (link.cut) {
          link.dropped += 1;
          return;
        }
        link.sides[other]!.send(frame, link.guestPorts[other], '127.0.0.1');
      });
    });
    return link;
  }

  netdev(index: number): string {
    return `udp=127.0.0.1:${this.relayPorts[index]},localaddr=127.0.0.1:${this.guestPorts[index]}`;
  }

  close(): void {
    for (const socket of this.sides) socket.close();
  }
}
