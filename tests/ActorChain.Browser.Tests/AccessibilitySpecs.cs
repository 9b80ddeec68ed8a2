using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ActorChain.Browser.Tests;

/// <summary>Keyboard use and phone width (375 px), on every view.</summary>
[Collection(WebClusterCollection.Name)]
public sealed class AccessibilitySpecs
{
    private const int MaxTabs = 15;
    private readonly WebCluster _web;

    public AccessibilitySpecs(WebCluster web, ITestOutputHelper output)
    {
        _web = web;
        _web.Attach(output);
        SetDefaultExpectTimeout(20_000);
    }

    [Fact]
    public async Task Keyboard_ReachesTheUploadView_AndItsFileInput_WithTabAndEnterOnly()
    {
        var page = await _web.OpenAsync(_web.Nodes[0], "#/gallery");

        await TabUntilAsync(page, "nav a[data-view='upload']");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("#/upload$"));
        await Expect(page.Locator("#upload-title")).ToBeFocusedAsync();
        await TabUntilAsync(page, "#file-input");
        var outline = await page.Locator(".drop .button").EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle");
        Assert.NotEqual("none", outline);
        await WebCluster.ScreenshotAsync(page, "upload-keyboard-focus");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("gallery", "#gallery-status", "[0-9]+ files?\\.|No files yet")]
    [InlineData("upload", "#drop", "Choose files")]
    [InlineData("cluster", "#agree", "heads agree")]
    public async Task AtPhoneWidth_TheView_NeverScrollsSideways(string view, string loaded, string loadedText)
    {
        var page = await _web.OpenAsync(_web.Nodes[1], $"#/{view}", width: 375, height: 740);
        await Expect(page.Locator(loaded)).ToContainTextAsync(new Regex(loadedText));
        if (view == "cluster")
        {
            // An open block shows the longest lines: full hashes and entry ids.
            await page.Locator("#blocks li summary").First.ClickAsync();
        }

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, viewport) = (widths[0], widths[1]);

        await WebCluster.ScreenshotAsync(page, $"phone-{view}");
        Assert.True(scrollWidth <= viewport, $"#/{view} at 375 px is {scrollWidth} px wide: it scrolls sideways.");
        await page.Context.CloseAsync();
    }

    private static async Task TabUntilAsync(IPage page, string selector)
    {
        for (var i = 0; i < MaxTabs; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.Locator(selector).EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
        }

        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing'");
        Assert.Fail($"{MaxTabs} presses of Tab never focused {selector}; focus ended on {focused}.");
    }
}
