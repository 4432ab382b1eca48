"use strict";
/**
 * Plain data types exchanged with a policy pack through the Pulumi Analyzer protocol
 * (proto/pulumi/analyzer.proto). Producers (tools/mock-engine, tests, the offline preview) build
 * `AnalyzerResource` values; `tools/analyzer` turns them into the protobuf messages the Pulumi
 * engine would send and turns the pack's diagnostics back into `PolicyResult` values.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.SECRET_SIG = exports.SECRET_SIG_KEY = exports.UNKNOWN = void 0;
/** The string the engine puts in place of a value that is unknown during preview. */
exports.UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key and value of the signature that marks a secret in the wire form of a property. */
exports.SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
exports.SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
//# sourceMappingURL=types.js.map
