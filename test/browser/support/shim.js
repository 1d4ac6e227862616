/*
 * google.script.run for a page served outside Apps Script (test/browser/support/server.ts injects this first in
 * <head>). Each call goes to POST /__rpc, where the server runs the function in the Apps Script harness with
 * google.script.run's rules; the handlers run later, asynchronously, as Apps Script calls them.
 *
 * Like the real one: arguments may only be primitives, plain objects and arrays (a Date, a function or a DOM node
 * fails the call); undefined arguments travel as null; a runner is immutable (withSuccessHandler returns a new
 * one); a failure hands the handler an Error whose message is the server's; calls run independently.
 */
(function () {
  'use strict';

  function illegal(value, depth) {
    if (depth > 100) return 'too deep';
    if (value === null || value === undefined) return null;
    var t = typeof value;
    if (t === 'function') return 'a function';
    if (t === 'bigint' || t === 'symbol') return 'a ' + t;
    if (t !== 'object') return null;
    if (value instanceof Date) return 'a Date';
    if (typeof Node !== 'undefined' && value instanceof Node && !(value instanceof HTMLFormElement))
      return 'a DOM node';
    if (Array.isArray(value)) {
      for (var i = 0; i < value.length; i++) {
        var r = illegal(value[i], depth + 1);
        if (r) return r;
      }
      return null;
    }
    var proto = Object.getPrototypeOf(value);
    if (proto !== null && proto !== Object.prototype) return 'an object that is not plain';
    for (var k in value) {
      if (Object.prototype.hasOwnProperty.call(value, k)) {
        var r2 = illegal(value[k], depth + 1);
        if (r2) return r2;
      }
    }
    return null;
  }

  function makeRunner(success, failure, userObject) {
    var target = {
      withSuccessHandler: function (fn) {
        return makeRunner(fn, failure, userObject);
      },
      withFailureHandler: function (fn) {
        return makeRunner(success, fn, userObject);
      },
      withUserObject: function (obj) {
        return makeRunner(success, failure, obj);
      },
    };
    return new Proxy(target, {
      get: function (t, name) {
        if (name in t) return t[name];
        if (typeof name !== 'string') return undefined;
        return function () {
          var args = Array.prototype.slice.call(arguments).map(function (a) {
            return a === undefined ? null : a;
          });
          var bad = illegal(args, 0);
          var fail = function (message) {
            if (failure) failure(new Error(message), userObject);
            else console.error('google.script.run ' + name + ' failed: ' + message);
          };
          if (bad) {
            setTimeout(function () {
              fail('Failed due to illegal value in property: ' + bad);
            }, 0);
            return undefined;
          }
          window.__rpcPending = (window.__rpcPending || 0) + 1;
          fetch('/__rpc', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ fn: name, args: args }),
          })
            .then(function (res) {
              return res.json();
            })
            .then(
              function (answer) {
                window.__rpcPending--;
                if (answer.ok) {
                  if (success) success(answer.value, userObject);
                } else fail(answer.error);
              },
              function () {
                window.__rpcPending--;
                fail('NetworkError: Connection failure due to HTTP 0');
              },
            );
          return undefined;
        };
      },
    });
  }

  window.google = window.google || {};
  window.google.script = {
    run: makeRunner(null, null, undefined),
    host: {
      close: function () {
        window.__hostClosed = true;
      },
      setHeight: function () {},
      setWidth: function () {},
      editor: { focus: function () {} },
      origin: window.location.origin,
    },
  };
})();
