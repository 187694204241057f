// The rule catalog: every rule module, in the order `netdev-review rules` lists them (RULES.md order).

import type { Rule } from '../src/engine/rule.js';
import netdevAllocApi from './netdev-alloc-api.js';
import netdevFreeApi from './netdev-free-api.js';
import netdevFreeWithoutUnregister from './netdev-free-without-unregister.js';
import setupAfterRegister from './setup-after-register.js';
import needsFreeNetdevDoubleFree from './needs-free-netdev-double-free.js';
import rtnlLinkNoFree from './rtnl-link-no-free.js';
import destructorRemoved from './destructor-removed.js';
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
import sleepInAtomicContext from './sleep-in-atomic-context.js';
import xmitBusy from './xmit-busy.js';
import xmitTxLockedRemoved from './xmit-tx-locked-removed.js';
import irqEnableInXmitOrPoll from './irq-enable-in-xmit-or-poll.js';
import napiDisableOnStop from './napi-disable-on-stop.js';
import mtuRxBufferVlan from './mtu-rx-buffer-vlan.js';

export const ALL_RULES: readonly Rule[] = [
  // Lifetime
  netdevAllocApi,
  netdevFreeApi,
  netdevUseAfterFree,
  netdevLeakOnError,
  netdevFreeWithoutUnregister,
  registerUnderRtnl,
  registerWithoutRtnl,
  setupAfterRegister,
  needsFreeNetdevDoubleFree,
  rtnlLinkNoFree,
  destructorRemoved,
  // MTU
  mtuRxBufferVlan,
  // Synchronization
  sleepInAtomicNdo,
  sleepInAtomicContext,
  rtnlLockInRtnlNdo,
  rtnlRequiredWithoutRtnl,
  xmitReturnType,
  xmitBusy,
  xmitTxLockedRemoved,
  irqEnableInXmitOrPoll,
  lltxDeprecated,
  legacyNetdevCallbacks,
  setRxModeDeprecated,
  siocdevprivateNew,
  legacyDevPriv,
  instanceLockSelfDeadlock,
  // NAPI
  napiDisableOnStop,
] as Rule[];
