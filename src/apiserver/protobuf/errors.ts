/**
 * A request body that is not a protobuf message this server can read. The API server answers it
 * with 415 Unsupported Media Type and this message, which tells the client to send JSON instead.
 */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}
