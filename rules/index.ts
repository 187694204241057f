// The rule catalog: every rule module, in the order `netdev-review rules` lists them.

import type { Rule } from '../src/engine/rule.js';
import netdevFreeApi from './netdev-free-api.js';
import netdevUseAfterFree from './netdev-use-after-free.js';
import netdevLeakOnError from './netdev-leak-on-error.js';
import registerUnderRtnl from './register-under-rtnl.js';
import sleepInAtomicNdo from './sleep-in-atomic-ndo.js';
import xmitReturnType from './xmit-return-type.js';

export const ALL_RULES: readonly Rule[] = [
  netdevFreeApi,
  netdevUseAfterFree,
  netdevLeakOnError,
  registerUnderRtnl,
  sleepInAtomicNdo,
  xmitReturnType,
] as Rule[];
