// This is a generated file! Please edit source .ksy file and use kaitai-struct-compiler to rebuild

(function (root, factory) {
  if (typeof define === 'function' && define.amd) {
    define(['exports', 'kaitai-struct/KaitaiStream'], factory);
  } else if (typeof exports === 'object' && exports !== null && typeof exports.nodeType !== 'number') {
    factory(exports, require('kaitai-struct/KaitaiStream'));
  } else {
    factory(root.VirtioPciConfig || (root.VirtioPciConfig = {}), root.KaitaiStream);
  }
})(typeof self !== 'undefined' ? self : this, function (VirtioPciConfig_, KaitaiStream) {
/**
 * 256-byte configuration space of a virtio-pci function. The capability list is followed through
 * lazily evaluated `next` instances, with a depth bound so a looping list ends.
 */

var VirtioPciConfig = (function() {
  function VirtioPciConfig(_io, _parent, _root) {
    this._io = _io;
    this._parent = _parent;
    this._root = _root || this;

    this._read();
  }
  VirtioPciConfig.prototype._read = function() {
    this.header = new Type0Header(this._io, this, this._root);
  }

  var Cap64Extra = VirtioPciConfig.Cap64Extra = (function() {
    function Cap64Extra(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Cap64Extra.prototype._read = function() {
      this.offsetHi = this._io.readU4le();
      this.lengthHi = this._io.readU4le();
    }

    return Cap64Extra;
  })();

  var Capability = VirtioPciConfig.Capability = (function() {
    function Capability(_io, _parent, _root, depth) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;
      this.depth = depth;

      this._read();
    }
    Capability.prototype._read = function() {
      this.capId = this._io.readU1();
      this.capNext = this._io.readU1();
      switch (this.capId) {
      case 17:
        this.body = new MsixBody(this._io, this, this._root);
        break;
      case 9:
        this.body = new VirtioCap(this._io, this, this._root);
        break;
      }
    }
    Object.defineProperty(Capability.prototype, 'next', {
      get: function() {
        if (this._m_next !== undefined)
          return this._m_next;
        if ( (((this.capNext & 252) >= 64) && (this.depth < 47)) ) {
          var _pos = this._io.pos;
          this._io.seek(this.capNext & 252);
          this._m_next = new Capability(this._io, this, this._root, this.depth + 1);
          this._io.seek(_pos);
        }
        return this._m_next;
      }
    });

    return Capability;
  })();

  var GenericBody = VirtioPciConfig.GenericBody = (function() {
    function GenericBody(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    GenericBody.prototype._read = function() {
      this.bar = this._io.readU1();
      this.id = this._io.readU1();
      this.padding = this._io.readBytes(2);
      this.offset = this._io.readU4le();
      this.length = this._io.readU4le();
      switch (this._parent.cfgType) {
      case 2:
        this.extra = new NotifyExtra(this._io, this, this._root);
        break;
      case 5:
        this.extra = new PciCfgExtra(this._io, this, this._root);
        break;
      case 8:
        this.extra = new Cap64Extra(this._io, this, this._root);
        break;
      }
    }

    return GenericBody;
  })();

  var MsixBody = VirtioPciConfig.MsixBody = (function() {
    function MsixBody(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    MsixBody.prototype._read = function() {
      this.tableSize = this._io.readBitsIntLe(11);
      this.controlReserved = this._io.readBitsIntLe(3);
      this.functionMask = this._io.readBitsIntLe(1) != 0;
      this.enable = this._io.readBitsIntLe(1) != 0;
      this.tableBir = this._io.readBitsIntLe(3);
      this.tableOffset = this._io.readBitsIntLe(29);
      this.pbaBir = this._io.readBitsIntLe(3);
      this.pbaOffset = this._io.readBitsIntLe(29);
    }

    return MsixBody;
  })();

  var NotifyExtra = VirtioPciConfig.NotifyExtra = (function() {
    function NotifyExtra(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    NotifyExtra.prototype._read = function() {
      this.notifyOffMultiplier = this._io.readU4le();
    }

    return NotifyExtra;
  })();

  var PciCfgExtra = VirtioPciConfig.PciCfgExtra = (function() {
    function PciCfgExtra(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    PciCfgExtra.prototype._read = function() {
      this.pciCfgData = this._io.readBytes(4);
    }

    return PciCfgExtra;
  })();

  var Type0Header = VirtioPciConfig.Type0Header = (function() {
    function Type0Header(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Type0Header.prototype._read = function() {
      this.vendorId = this._io.readU2le();
      this.deviceId = this._io.readU2le();
      this.command = this._io.readU2le();
      this.status = this._io.readU2le();
      this.revisionId = this._io.readU1();
      this.progIf = this._io.readU1();
      this.subClass = this._io.readU1();
      this.baseClass = this._io.readU1();
      this.cacheLineSize = this._io.readU1();
      this.latencyTimer = this._io.readU1();
      this.headerLayout = this._io.readBitsIntLe(7);
      this.multiFunction = this._io.readBitsIntLe(1) != 0;
      this._io.alignToByte();
      this.bist = this._io.readU1();
      this.bar0 = this._io.readU4le();
      this.bar1 = this._io.readU4le();
      this.bar2 = this._io.readU4le();
      this.bar3 = this._io.readU4le();
      this.bar4 = this._io.readU4le();
      this.bar5 = this._io.readU4le();
      this.cardbusCis = this._io.readU4le();
      this.subsystemVendorId = this._io.readU2le();
      this.subsystemId = this._io.readU2le();
      this.romEnable = this._io.readBitsIntLe(1) != 0;
      this.romReserved = this._io.readBitsIntLe(10);
      this.romAddress = this._io.readBitsIntLe(21);
      this._io.alignToByte();
      this.capabilitiesPointer = this._io.readU1();
      this.reserved = this._io.readBytes(7);
      this.interruptLine = this._io.readU1();
      this.interruptPin = this._io.readU1();
      this.minGnt = this._io.readU1();
      this.maxLat = this._io.readU1();
    }

    return Type0Header;
  })();

  var VirtioCap = VirtioPciConfig.VirtioCap = (function() {
    function VirtioCap(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    VirtioCap.prototype._read = function() {
      this.capLen = this._io.readU1();
      this.cfgType = this._io.readU1();
      switch (this.cfgType) {
      case 9:
        this.body = new VndrDataBody(this._io, this, this._root);
        break;
      default:
        this.body = new GenericBody(this._io, this, this._root);
        break;
      }
    }

    return VirtioCap;
  })();

  var VndrDataBody = VirtioPciConfig.VndrDataBody = (function() {
    function VndrDataBody(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    VndrDataBody.prototype._read = function() {
      this.vendorId = this._io.readU2le();
      this.data = this._io.readBytes((this._parent.capLen >= 6 ? this._parent.capLen - 6 : 0));
    }

    return VndrDataBody;
  })();
  Object.defineProperty(VirtioPciConfig.prototype, 'firstCap', {
    get: function() {
      if (this._m_firstCap !== undefined)
        return this._m_firstCap;
      if ( (((this.header.status & 16) != 0) && ((this.header.capabilitiesPointer & 252) >= 64)) ) {
        var _pos = this._io.pos;
        this._io.seek(this.header.capabilitiesPointer & 252);
        this._m_firstCap = new Capability(this._io, this, this._root, 0);
        this._io.seek(_pos);
      }
      return this._m_firstCap;
    }
  });

  return VirtioPciConfig;
})();
VirtioPciConfig_.VirtioPciConfig = VirtioPciConfig;
});
