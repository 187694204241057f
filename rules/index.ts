// The rule catalog: every rule module, in the order `netdev-review rules` lists them (RULES.md order).

import type { Rule } from '../src/engine/rule.js';
import netdevFreeApi from './netdev-free-api.js';
import netdevUseAfterFree from './netdev-use-after-free.js';
import netdevLeakOnError from './netdev-leak-on-error.js';
import registerUnderRtnl from './register-under-rtnl.js';
import sleepInAtomicNdo from './sleep-in-atomic-ndo.js';
import xmitReturnType from './xmit-return-type.js';
import lltxDeprecated from './lltx-deprecated.js';
import legacyNetdevCallbacks from './legacy-netdev-callbacks.js';
import setRxModeDeprecated from './set-rx-mode-deprecated.js';
import siocdevprivateNew from './siocdevprivate-new.js';
import legacyDevPriv from './legacy-dev-priv.js';
import registerWithoutRtnl from './register-without-rtnl.js';
import rtnlLockInRtnlNdo from './rtnl-lock-in-rtnl-ndo.js';
import rtnlRequiredWithoutRtnl from './rtnl-required-without-rtnl.js';
import instanceLockSelfDeadlock from './instance-lock-self-deadlock.js';

export const ALL_RULES: readonly Rule[] = [
  // Lifetime
  netdevFreeApi,
  netdevUseAfterFree,
  netdevLeakOnError,
  registerUnderRtnl,
  registerWithoutRtnl,
  // Synchronization
  sleepInAtomicNdo,
  xmitReturnType,
  lltxDeprecated,
  legacyNetdevCallbacks,
  setRxModeDeprecated,
  siocdevprivateNew,
  legacyDevPriv,
  rtnlLockInRtnlNdo,
  rtnlRequiredWithoutRtnl,
  instanceLockSelfDeadlock,
] as Rule[];
