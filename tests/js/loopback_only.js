// Preloaded (`node --require`) by tests/it/js_sdk.rs: the AWS SDK for JavaScript
// may reach 127.0.0.1 only (the emulator, ssoenv's credential server). Every
// other connection and name lookup is refused and said on stderr, so an
// endpoint override the SDK did not honour fails the test instead of
// reaching AWS.
"use strict";
const net = require("node:net");
const dns = require("node:dns");

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function refuse(what) {
  const msg = `loopback_only: refused ${what}`;
  process.stderr.write(msg + "\n");
  return new Error(msg);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.createConnection passes its normalized [options, callback] array.
  let opts = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (opts === null || typeof opts !== "object") {
    opts = { port: opts, host: typeof args[1] === "string" ? args[1] : undefined };
  }
  if (!opts.path && opts.host !== undefined && !LOOPBACK.has(opts.host)) {
    throw refuse(`a connection to ${opts.host}`);
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  if (!LOOPBACK.has(host)) {
    throw refuse(`a lookup of ${host}`);
  }
  return lookup.call(this, host, ...rest);
};
