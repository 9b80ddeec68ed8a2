using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Handshake;
using ActorChain.Remote.Transport;

namespace ActorChain.Remote.Tests;

/// <summary>Holds section 12 of docs/protocol.md to the code, so the wire specification cannot drift.</summary>
public sealed partial class WireProtocolDocTests
{
    private const string FrameTableHeader = "| byte | frame | sent by | when | payload |";
    private const string SettingsTableHeader = "| setting | default | meaning |";
    private const string TlsSettingsTableHeader = "| tls setting | default | meaning |";

    private static readonly byte[] ExampleSecret = Encoding.ASCII.GetBytes("0123456789abcdef");

    private static readonly RemoteTransportOptions Defaults = new()
    {
        NodeId = "n1",
        ClusterId = "demo",
        SharedSecret = ExampleSecret,
    };

    private static readonly HandshakeHello ExampleN1 =
        new(1, "demo", "n1", new RemoteAddress("127.0.0.1", 4053), 1, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private static readonly HandshakeHello ExampleN2 =
        new(1, "demo", "n2", new RemoteAddress("127.0.0.1", 4054), 2, Enumerable.Range(32, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void FrameTypeTable_ListsEveryFrameTypeWithItsByte()
    {
        var documented = FrameTable();

        Assert.All(Enum.GetValues<FrameType>(), type =>
        {
            Assert.True(documented.TryGetValue(type.ToString(), out var value), $"section 12's frame table has no row for {type}");
            Assert.Equal((byte)type, value);
        });
    }

    [Fact]
    public void FrameTypeTable_ListsNoFrameTypeTheCodeLacks()
    {
        var documented = FrameTable();

        Assert.All(documented, row =>
        {
            Assert.True(Enum.TryParse<FrameType>(row.Key, out var type), $"the doc lists frame type {row.Key}, which the code does not have");
            Assert.Equal((byte)type, row.Value);
            Assert.True(FrameCodec.IsKnown(type), $"the codec refuses documented frame type {row.Key}");
        });
        Assert.Equal(Enum.GetValues<FrameType>().Length, documented.Count);
    }

    [Fact]
    public void SettingsTable_MaxFrameSize_IsTheCodeDefault()
    {
        var documented = Bytes(Settings()["max-frame-size"]);

        Assert.Equal(Defaults.MaxFrameSize, documented);
        Assert.Equal(FrameCodec.DefaultMaxFrameSize, documented);
    }

    [Fact]
    public void SettingsTable_EverySetting_IsTheCodeDefault()
    {
        var settings = Settings();

        Assert.Equal(Defaults.HandshakeTimeout, Duration(settings["handshake-timeout"]));
        Assert.Equal(Defaults.OutboundQueueCapacity, Bytes(settings["outbound-queue-capacity"]));
        Assert.Equal(Defaults.ReconnectMinBackoff, Duration(settings["reconnect-min-backoff"]));
        Assert.Equal(Defaults.ReconnectMaxBackoff, Duration(settings["reconnect-max-backoff"]));
        Assert.Equal(Defaults.HeartbeatInterval, Duration(settings["heartbeat-interval"]));
        Assert.Equal(Defaults.IdleTimeout, Duration(settings["idle-timeout"]));
        Assert.Equal(Defaults.FlushThreshold, Bytes(settings["flush-threshold"]));
        Assert.Equal(8, settings.Count);
    }

    [Fact]
    public void TlsSettingsTable_ListsExactlyTheReferenceConfTlsBlock_WithItsDefaults()
    {
        var documented = TableRows(TlsSettingsTableHeader).ToDictionary(cells => Unquote(cells[0]), cells => Unquote(cells[1]));
        var conf = File.ReadAllText(Path.Combine(RepoRoot(), "hocon", "reference.conf")).ReplaceLineEndings("\n");
        var block = conf[conf.IndexOf("\n    tls {\n", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("\n    }", StringComparison.Ordinal)];
        var configured = TlsSettingRegex().Matches(block).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());

        Assert.Equal(configured.Keys.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        Assert.All(configured, setting => Assert.Equal(setting.Value, documented[setting.Key]));
        Assert.Equal(new Tls.RemoteTlsOptions { CertificatePath = "x" }.RequireClientCertificate, documented["require-client-certificate"] == "on");
    }

    [Fact]
    public void WorkedExample_HelloFrame_IsTheDocumentedBytes()
    {
        var payload = new byte[ExampleN1.Size];
        ExampleN1.Write(payload);
        var frame = new byte[FrameCodec.HeaderSize + payload.Length];
        FrameCodec.WriteHeader(frame, FrameType.Handshake, payload.Length);
        payload.CopyTo(frame, FrameCodec.HeaderSize);

        Assert.Equal(67, frame.Length);
        Assert.Equal(Convert.ToHexStringLower(frame), CodeBlockHex(Section12(), "3f000000"));
    }

    [Fact]
    public void WorkedExample_Proofs_AreTheDocumentedHmacs()
    {
        var section = Section12();

        var byN1 = Convert.ToHexStringLower(HandshakeProof.Compute(ExampleSecret, "demo", prover: ExampleN1, verifier: ExampleN2));
        var byN2 = Convert.ToHexStringLower(HandshakeProof.Compute(ExampleSecret, "demo", prover: ExampleN2, verifier: ExampleN1));

        var header = new byte[FrameCodec.HeaderSize];
        FrameCodec.WriteHeader(header, FrameType.HandshakeAck, HandshakeProof.Size);
        var headerHex = Convert.ToHexStringLower(header);

        Assert.Contains($"sends `{headerHex[..8]} {headerHex[8..]}` followed by\n`{byN1}`", section, StringComparison.Ordinal);
        Assert.Contains($"the roles swapped:\n`{byN2}`", section, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkedExample_EnvelopeFrame_IsTheDocumentedBytes()
    {
        var envelope = new RemoteEnvelope("/user/chain", string.Empty, 1, 7, "hi"u8.ToArray());
        var frame = new byte[FrameCodec.HeaderSize + envelope.Size];
        FrameCodec.WriteHeader(frame, FrameType.Envelope, envelope.Size);
        envelope.Write(frame.AsSpan(FrameCodec.HeaderSize));

        Assert.Equal(32, frame.Length);
        Assert.Equal(Convert.ToHexStringLower(frame), CodeBlockHex(Section12(), "1c000000 03"));
    }

    private static Dictionary<string, byte> FrameTable() =>
        TableRows(FrameTableHeader).ToDictionary(
            cells => Unquote(cells[1]),
            cells => byte.Parse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture));

    private static Dictionary<string, string> Settings() =>
        TableRows(SettingsTableHeader).ToDictionary(cells => Unquote(cells[0]), cells => cells[1]);

    private static List<string[]> TableRows(string header)
    {
        var lines = Section12().Split('\n');
        var start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"section 12 has no table headed {header}");
        return lines
            .Skip(start + 2)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
    }

    private static string Unquote(string cell)
    {
        Assert.Matches("^`[^`]+`$", cell);
        return cell.Trim('`');
    }

    // "4 MiB (4,194,304 bytes)" and "65,536 envelopes" both state the exact number first or in brackets.
    private static int Bytes(string cell)
    {
        var match = ExactNumber().Match(cell);
        Assert.True(match.Success, $"no exact number in '{cell}'");
        return int.Parse(match.Groups["n"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private static TimeSpan Duration(string cell)
    {
        var match = DurationPattern().Match(cell);
        Assert.True(match.Success, $"'{cell}' is not a duration like '5 s' or '100 ms'");
        var value = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value == "ms" ? TimeSpan.FromMilliseconds(value) : TimeSpan.FromSeconds(value);
    }

    /// <summary>The hex of the annotated code block that starts with <paramref name="firstLine"/>: each line's hex before its comment.</summary>
    private static string CodeBlockHex(string section, string firstLine)
    {
        var lines = section.Split('\n');
        var start = Enumerable.Range(1, lines.Length - 1)
            .FirstOrDefault(i => lines[i - 1] == "```" && lines[i].StartsWith(firstLine, StringComparison.Ordinal));
        Assert.True(start > 0, $"no code block starts with {firstLine}");
        var hex = new StringBuilder();
        foreach (var line in lines.Skip(start).TakeWhile(line => line != "```"))
        {
            var code = AnnotatedLine().Match(line);
            Assert.True(code.Success, $"'{line}' is not hex followed by a comment");
            hex.Append(code.Groups["hex"].Value.Replace(" ", string.Empty, StringComparison.Ordinal));
        }

        return hex.ToString();
    }

    private static string Section12()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "protocol.md")).ReplaceLineEndings("\n");
        var start = doc.IndexOf("\n## 12. Wire protocol between nodes\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/protocol.md has no section 12");
        var end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? doc[start..] : doc[start..end];
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorChain.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ActorChain.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"(?:^|\()(?<n>\d{1,3}(?:,\d{3})*)(?: bytes\)| envelopes|$)")]
    private static partial Regex ExactNumber();

    [GeneratedRegex(@"^\s*([a-z-]+)\s*=\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex TlsSettingRegex();

    [GeneratedRegex(@"^(?<n>\d+) (?<unit>ms|s)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<hex>[0-9a-f]+(?: [0-9a-f]+)*)\s{2,}\S")]
    private static partial Regex AnnotatedLine();
}
