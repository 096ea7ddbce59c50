package io.github.logits4j.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the one-node ONNX models of the peer benchmark in code, so that a clone needs no model files:
 * {@code y = Softmax(x)} or {@code LogSoftmax(x)} over the last axis, float32 input and output of symbolic
 * shape {@code [rows, cols]}, opset 13, IR version 8. About 140 bytes of protobuf, written field by field
 * (field numbers from onnx.proto).
 */
final class OnnxModels {
  private OnnxModels() {}

  static byte[] softmax() {
    return lastAxis("Softmax");
  }

  static byte[] logSoftmax() {
    return lastAxis("LogSoftmax");
  }

  private static byte[] lastAxis(String opType) {
    byte[] axis = new Proto().string(1, "axis").varint(3, -1L).varint(20, 2).bytes();  // AttributeProto, INT
    byte[] node = new Proto().string(1, "x").string(2, "y").string(4, opType).message(5, axis).bytes();
    byte[] graph = new Proto().message(1, node).string(2, opType.toLowerCase() + "_lastaxis")
        .message(11, valueInfo("x")).message(12, valueInfo("y")).bytes();
    byte[] opset = new Proto().string(1, "").varint(2, 13).bytes();
    return new Proto().varint(1, 8).string(2, "logits4j-bench").message(7, graph).message(8, opset).bytes();
  }

  /** {@code name: tensor(float)[rows, cols]}. */
  private static byte[] valueInfo(String name) {
    byte[] rows = new Proto().string(2, "rows").bytes();  // Dimension.dim_param
    byte[] cols = new Proto().string(2, "cols").bytes();
    byte[] shape = new Proto().message(1, rows).message(1, cols).bytes();
    byte[] tensor = new Proto().varint(1, 1).message(2, shape).bytes();  // elem_type FLOAT
    byte[] type = new Proto().message(1, tensor).bytes();
    return new Proto().string(1, name).message(2, type).bytes();
  }

  /** A minimal protobuf writer: varint and length-delimited fields. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
      return this;
    }

    Proto message(int field, byte[] body) {
      raw(((long) field << 3) | 2);
      raw(body.length);
      out.writeBytes(body);
      return this;
    }

    Proto string(int field, String s) {
      return message(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
