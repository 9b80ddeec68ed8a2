using ActorChain.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ActorChain.Browser.Tests;

/// <summary>The cluster view on a real three-node cluster: members, heads, the agreement line, blocks and verify.</summary>
[Collection(WebClusterCollection.Name)]
public sealed class ClusterPageSpecs
{
    private readonly WebCluster _web;

    public ClusterPageSpecs(WebCluster web, ITestOutputHelper output)
    {
        _web = web;
        _web.Attach(output);
        SetDefaultExpectTimeout(20_000);
    }

    [Fact]
    public async Task ClusterView_ListsEveryMember_SaysTheHeadsAgree_AndShowsTheNewestBlockWithItsEntry()
    {
        var key = $"web-{Guid.NewGuid():N}";
        var written = await ChainHttp.PutAsync(_web.Http[1], key, "shown in the explorer");
        await ChainHttp.AwaitEqualHeadsAsync(_web.Http, TimeSpan.FromSeconds(20), written.Height);
        var page = await _web.OpenAsync(_web.Nodes[0], "#/cluster");

        var agree = page.Locator("#agree");
        await Expect(agree).ToHaveAttributeAsync("data-state", "agree");
        await Expect(agree).ToContainTextAsync("All 3 heads agree");
        var rows = page.Locator("#members tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        foreach (var node in (string[])["n1", "n2", "n3"])
        {
            var row = page.Locator($"#members tr[data-node='{node}']");
            await Expect(row).ToContainTextAsync("Up");
            await Expect(row).ToContainTextAsync("reachable");
        }

        var block = page.Locator($"#blocks li[data-height='{written.Height}']");
        await block.Locator("summary").ClickAsync();
        await Expect(block.Locator("details")).ToContainTextAsync(written.BlockHash);
        await Expect(block.Locator("table.entries")).ToContainTextAsync(key);
        await Expect(block.Locator("table.entries")).ToContainTextAsync("kv.put");
        await WebCluster.ScreenshotAsync(page, "cluster");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AgreementLine_SaysTheHeadsDiffer_WhileANodeIsCutOff_AndAgreeAgainOnceItCatchesUp()
    {
        var page = await _web.OpenAsync(_web.Nodes[0], "#/cluster");
        var agree = page.Locator("#agree");
        await Expect(agree).ToHaveAttributeAsync("data-state", "agree");

        _web.Isolate("n3");
        try
        {
            var written = await ChainHttp.PutAsync(_web.Http[0], $"apart-{Guid.NewGuid():N}", "n3 misses this");

            await Expect(agree).ToHaveAttributeAsync("data-state", "differ");
            await Expect(agree).ToContainTextAsync($"n1 at {written.Height}");
            await Expect(agree).ToContainTextAsync("n3 at");
            await Expect(agree).ToContainTextAsync("(unreachable)");
            await Expect(page.Locator("#members tr[data-node='n3']")).ToContainTextAsync("unreachable");
            await WebCluster.ScreenshotAsync(page, "cluster-heads-differ");
        }
        finally
        {
            _web.HealAll();
        }

        await Expect(agree).ToHaveAttributeAsync("data-state", "agree");
        await Expect(page.Locator("#members tr[data-node='n3']")).Not.ToContainTextAsync("unreachable");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task VerifyButton_ReportsTheChainValid_UpToTheHead()
    {
        var page = await _web.OpenAsync(_web.Nodes[2], "#/cluster");

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify chain" }).ClickAsync();

        var result = page.Locator("#verify-result");
        await Expect(result).ToHaveAttributeAsync("data-state", "valid");
        await Expect(result).ToContainTextAsync("Chain valid");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task NewBlocks_AppearInTheExplorer_WithoutAReload()
    {
        var page = await _web.OpenAsync(_web.Nodes[0], "#/cluster");
        await Expect(page.Locator("#blocks li").First).ToBeVisibleAsync();
        var written = await ChainHttp.PutAsync(_web.Http[0], $"live-{Guid.NewGuid():N}", "polled in");

        await Expect(page.Locator($"#blocks li[data-height='{written.Height}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#agree")).ToContainTextAsync($"height {written.Height}");
        await page.Context.CloseAsync();
    }
}
