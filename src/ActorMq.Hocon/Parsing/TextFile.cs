using System.Buffers;
using System.Text;

namespace ActorMq.Hocon.Parsing;

/// <summary>Reads a configuration file into one string (UTF-8 unless it starts with a UTF-16 BOM) without intermediate copies.</summary>
internal static class TextFile
{
    /// <summary>The absolute path; a name the file system cannot represent is a <see cref="ConfigIOException"/>.</summary>
    public static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigIOException($"'{path.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a valid file path: {e.Message}", e);
        }
    }

    public static string Read(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = RandomAccess.GetLength(handle);
            if (length > int.MaxValue / 2) throw new ConfigIOException($"{path}: configuration file too large ({length} bytes)");
            var buffer = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                var read = 0;
                while (read < length)
                {
                    var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
                    if (n == 0) break;
                    read += n;
                }
                return Decode(buffer.AsSpan(0, read));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigIOException($"{path}: cannot read configuration file: {e.Message}", e);
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) return Encoding.UTF8.GetString(bytes[3..]);
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) return Encoding.Unicode.GetString(bytes[2..]);
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        return Encoding.UTF8.GetString(bytes);
    }
}
