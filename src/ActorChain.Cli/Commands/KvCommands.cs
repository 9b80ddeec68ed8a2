using System.CommandLine;
using System.Text;
using ActorChain.Cli.Http;

namespace ActorChain.Cli.Commands;

/// <summary><c>kv get|put|delete</c>.</summary>
internal static class KvCommands
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Command Build(CommandContext context)
    {
        var kv = new Command("kv", "The key-value store in the chain.");

        var get = new Command("get", "Print a key's value (exit 1 when absent).");
        var getKey = new Argument<string>("key");
        var linearizable = new Option<bool>("--linearizable") { Description = "Read after a quorum confirms the node is up to date." };
        get.Arguments.Add(getKey);
        get.Options.Add(linearizable);
        context.SetAction(get, async (inv, ct) =>
        {
            var key = inv.Get(getKey);
            var value = await inv.Client().KvGetAsync(key, inv.Get(linearizable), ct);
            if (value is null)
            {
                await inv.Console.Error.WriteLineAsync($"actorchain: no key '{key}' on {inv.Node}.");
                return CliApp.Failure;
            }

            var text = TryUtf8(value);
            if (inv.Json)
            {
                inv.WriteJson(new { key, value = text, base64 = Convert.ToBase64String(value), size = value.Length });
            }
            else
            {
                inv.Console.Out.WriteLine(text ?? Convert.ToBase64String(value));
            }

            return CliApp.Ok;
        });
        kv.Subcommands.Add(get);

        var put = new Command("put", "Write a key; returns once the write is committed in a block.");
        var putKey = new Argument<string>("key");
        var value = new Argument<string?>("value") { Description = "The value as text (or use --file).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file") { Description = "Read the value's bytes from this file." };
        put.Arguments.Add(putKey);
        put.Arguments.Add(value);
        put.Options.Add(file);
        context.SetAction(put, async (inv, ct) =>
        {
            var bytes = (inv.Parse.GetValue(value), inv.Parse.GetValue(file)) switch
            {
                ({ } text, null) => Encoding.UTF8.GetBytes(text),
                (null, { } f) => await File.ReadAllBytesAsync(f.FullName, ct),
                _ => throw new UsageException("kv put takes a value or --file, exactly one of them."),
            };
            var written = await inv.Client().KvPutAsync(inv.Get(putKey), bytes, ct);
            return Written(inv, "Put", written);
        });
        kv.Subcommands.Add(put);

        var delete = new Command("delete", "Delete a key (exit 1 when absent).");
        var deleteKey = new Argument<string>("key");
        delete.Arguments.Add(deleteKey);
        context.SetAction(delete, async (inv, ct) => Written(inv, "Deleted", await inv.Client().KvDeleteAsync(inv.Get(deleteKey), ct)));
        kv.Subcommands.Add(delete);
        return kv;
    }

    private static int Written(Invocation inv, string verb, KvWrite written)
    {
        if (inv.Json)
        {
            inv.WriteJson(written);
        }
        else
        {
            inv.Console.Out.WriteLine($"{verb} '{written.Key}' at height {written.Height} (block {ClusterCommands.Short(written.BlockHash)}, entry {written.EntryId}).");
        }

        return CliApp.Ok;
    }

    private static string? TryUtf8(byte[] value)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
