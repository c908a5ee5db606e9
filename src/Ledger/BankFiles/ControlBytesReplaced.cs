namespace Salex.Ledger.BankFiles;

/// <summary>
/// A camt.053 file's bytes with each control byte that XML forbids (0x00–0x1F but tab, line feed and carriage
/// return) replaced by U+FFFD in UTF-8. An XML reader stops dead at a NUL byte; this way it reads on, and the one
/// entry holding the damaged text is malformed (<see cref="Limits.TextProblem"/> refuses U+FFFD), not the file.
/// Those bytes stand for the same control characters in UTF-8 and every ASCII-compatible encoding.
/// </summary>
public sealed class ControlBytesReplaced(Stream inner) : Stream
{
    private static readonly byte[] Replacement = [0xEF, 0xBF, 0xBD];
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly Queue<byte> _pending = new();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_pending.Count == 0)
        {
            var read = inner.Read(_buffer, 0, _buffer.Length);
            for (var i = 0; i < read; i++)
                if (_buffer[i] < 0x20 && _buffer[i] is not (0x09 or 0x0A or 0x0D))
                    foreach (var b in Replacement)
                        _pending.Enqueue(b);
                else
                    _pending.Enqueue(_buffer[i]);
        }
        var n = 0;
        while (n < count && _pending.Count > 0)
            buffer[offset + n++] = _pending.Dequeue();
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
