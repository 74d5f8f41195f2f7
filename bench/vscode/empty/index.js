// The activation floor: an extension that does nothing when activated.
exports.activate = function activate() {};
exports.deactivate = function deactivate() {};
