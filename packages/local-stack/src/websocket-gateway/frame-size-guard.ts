/**
 * Watches the raw bytes a client sends and spots a data frame whose announced payload is larger
 * than API Gateway's frame limit. `ws` only limits whole messages (`maxPayload`), and API Gateway
 * limits both: a frame to 32 KB and a message, however fragmented, to 128 KB.
 *
 * Only frame headers are read; payloads are skipped (and stay masked), so this costs next to
 * nothing and never interferes with `ws`, which parses the same bytes itself.
 */
export class FrameSizeGuard {
  private readonly header: number[] = [];
  private payloadLeft = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds the next bytes from the client; true once a data frame over the limit has been seen. */
  exceeded(chunk: Buffer): boolean {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.payloadLeft > 0) {
        const skipped = Math.min(this.payloadLeft, chunk.length - offset);
        this.payloadLeft -= skipped;
        offset += skipped;
        continue;
      }
      this.header.push(chunk.readUInt8(offset));
      offset += 1;
      const headerLength = this.headerLength();
      if (headerLength === undefined || this.header.length < headerLength) continue;

      const payloadLength = this.payloadLength();
      const opcode = (this.header[0] ?? 0) & 0x0f;
      this.header.length = 0;
      // Opcodes 0-2 are continuation, text and binary; control frames are capped at 125 bytes by the protocol.
      if (opcode <= 0x02 && payloadLength > this.maxFrameBytes) return true;
      this.payloadLeft = payloadLength;
    }
    return false;
  }

  private headerLength(): number | undefined {
    const second = this.header[1];
    if (second === undefined) return undefined;
    const lengthField = second & 0x7f;
    const extendedLength = lengthField === 126 ? 2 : lengthField === 127 ? 8 : 0;
    const maskKey = second & 0x80 ? 4 : 0;
    return 2 + extendedLength + maskKey;
  }

  private payloadLength(): number {
    const lengthField = (this.header[1] ?? 0) & 0x7f;
    if (lengthField < 126) return lengthField;
    const bytes = Buffer.from(this.header);
    if (lengthField === 126) return bytes.readUInt16BE(2);
    // Past 2^53 precision is lost, but any such frame is far over every limit anyway.
    return Number(bytes.readBigUInt64BE(2));
  }
}
