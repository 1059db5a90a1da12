namespace Faceprint.Training.Data;

/// <summary>One unpacked record: its header and the encoded image (JPEG or PNG) after it.</summary>
/// <param name="Header">The record's <c>IRHeader</c>.</param>
/// <param name="Image">The encoded image bytes (may be empty in header-only records).</param>
public sealed record RecordIORecord(RecordIOHeader Header, byte[] Image);
