// The AWS SDK's browser user-agent provider is the only user of bowser; in Node it is never called.
exports.parse = () => ({});
