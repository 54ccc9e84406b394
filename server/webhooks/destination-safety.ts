/**
 * Server-side request forgery defence for webhook URLs. In production a
 * tenant may only point webhooks at public internet addresses: never at
 * loopback, private networks, link-local (cloud metadata at 169.254.169.254)
 * or other special ranges, where it could reach our own services. Tests
 * and local development run receivers on 127.0.0.1, so the rule is off
 * outside production.
 *
 * The check runs twice: when the URL is registered (a clear 400), and at
 * every connection through `safeLookup`, which vets the address the socket
 * actually connects to, so DNS that changes after registration (rebinding)
 * cannot slip past.
 */
import dns from 'node:dns';
import net from 'node:net';

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(prefix, bits, 'ipv6');

export class UnsafeDestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeDestinationError';
  }
}

/** True for an address on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]!);
    return !blocked.check(address, 'ipv6');
  }
  return false;
}

/** Refuses a URL whose host is, or resolves to, a non-public address. */
export async function assertPublicDestination(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    if (!isPublicAddress(host)) throw new UnsafeDestinationError(`${host} is a loopback, private or reserved address; webhooks must reach the public internet.`);
    return;
  }
  if (/^localhost$|\.localhost$|\.local$|\.internal$/i.test(host)) {
    throw new UnsafeDestinationError(`${host} is a local name; webhooks must reach the public internet.`);
  }
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new UnsafeDestinationError(`${host} does not resolve; check the host name.`);
  }
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) throw new UnsafeDestinationError(`${host} resolves to ${bad.address}, a loopback, private or reserved address; webhooks must reach the public internet.`);
}

/**
 * A `lookup` for http(s).request that refuses non-public addresses, so the
 * address vetted is the address connected to.
 */
export const safeLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as unknown as dns.LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(new UnsafeDestinationError(`${hostname} resolves to ${bad.address}, a loopback, private or reserved address.`), '', 0);
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    const first = list[0];
    if (!first) return callback(new UnsafeDestinationError(`${hostname} has no address.`), '', 0);
    callback(null, first.address, first.family);
  });
};
